package io.dynamicindex.server.publish;

/** The broker did not confirm every message of a request: unreachable, nacked, unroutable or too slow. */
public class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
