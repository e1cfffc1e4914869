package io.dynamicindex.common;

/** AMQP header names that the queue server sets and the scheduler carries unchanged to the index queues. */
public final class MessageHeaders {

    /** The partner whose API key sent the message. */
    public static final String PARTNER = "x-partner";

    /** The id of the HTTP request that carried the message; it also appears in the server's logs. */
    public static final String REQUEST_ID = "x-request-id";

    /**
     * How many changes the message carries: 1 for one change, the array's length for an envelope (a JSON array of
     * changes). The scheduler's throttle counts these; a message without it counts as its array's length, or 1.
     */
    public static final String CHANGES = "x-changes";

    private MessageHeaders() {
    }
}
