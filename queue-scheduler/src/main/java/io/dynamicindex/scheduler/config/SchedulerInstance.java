package io.dynamicindex.scheduler.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Who this scheduler process is, as written into the lease rows and the runtime-state rows:
 * {@code host/pid/random}. The random part keeps two instances apart even when host and pid repeat (containers).
 *
 * @param id the instance id.
 */
public record SchedulerInstance(String id) {

    static SchedulerInstance current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return new SchedulerInstance(host + "/" + ProcessHandle.current().pid() + "/"
                + UUID.randomUUID().toString().substring(0, 8));
    }
}
