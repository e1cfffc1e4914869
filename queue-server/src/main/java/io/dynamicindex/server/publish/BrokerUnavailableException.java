package io.dynamicindex.server.publish;

import java.util.Locale;

/** The broker did not confirm every message of a request; {@link #cause()} says why, for the partner and the logs. */
public class BrokerUnavailableException extends RuntimeException {

    /** Why the broker did not confirm. */
    public enum Cause {
        /** A memory or disk alarm: the broker blocks every publishing connection until it clears. */
        ALARM,
        /** A message could not be routed: the queue does not exist on the broker. */
        UNROUTABLE,
        /** No confirm within the confirm timeout, or no pooled channel within its checkout timeout. */
        TIMEOUT,
        /** The broker is unreachable, refused the messages (nack, length limit) or closed the channel. */
        UNAVAILABLE;

        /** The name partners see in the problem answer. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Cause cause;

    public BrokerUnavailableException(Cause cause, String message, Throwable throwable) {
        super(message, throwable);
        this.cause = cause;
    }

    public Cause cause() {
        return cause;
    }
}
