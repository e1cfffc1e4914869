package io.dynamicindex.scheduler.schedule;

import java.time.Instant;

/**
 * One tick of a route, as kept in its recent history.
 *
 * @param started when the tick started.
 * @param outcome what the tick did.
 * @param count   messages it moved.
 * @param millis  how long it took; never longer than the lease.
 */
public record TickRecord(Instant started, Outcome outcome, int count, long millis) {

    TickRecord(Instant started, Outcome outcome, int count) {
        this(started, outcome, count, Math.max(0, Instant.now().toEpochMilli() - started.toEpochMilli()));
    }

    /** What a tick did. */
    public enum Outcome {
        /** This instance held the route and moved min(N, available) messages. */
        MOVED,
        /** A broker failed, or the target refused or did not confirm; the unconfirmed rest stayed in the source. */
        FAILED,
        /** The route is paused. */
        PAUSED,
        /** Another instance holds the route's lease and moves it. */
        STANDBY
    }
}
