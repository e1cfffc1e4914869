package io.dynamicindex.management;

import java.util.List;

/** What a token may do on the management plane. */
public enum OperatorRole {

    /** Reads: actuator, routes, queues, dead letters, the console. */
    VIEWER,

    /** Reads and changes: pause, resume, re-rate, replay, purge, move parked messages. */
    OPERATOR;

    /** Spring Security's authority names of this role; an operator holds the viewer's authority too. */
    public List<String> authorities() {
        return this == OPERATOR ? List.of("ROLE_VIEWER", "ROLE_OPERATOR") : List.of("ROLE_VIEWER");
    }
}
