package io.dynamicindex.outbox.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Who this relay process is, as written into the lease row, the offset row's holder and each message's
 * {@code app-id}: {@code host/pid/random}. The random part keeps two instances apart even when host and pid repeat
 * (containers).
 *
 * @param id the instance id.
 */
public record RelayInstance(String id) {

    static RelayInstance current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return new RelayInstance(host + "/" + ProcessHandle.current().pid() + "/"
                + UUID.randomUUID().toString().substring(0, 8));
    }
}
