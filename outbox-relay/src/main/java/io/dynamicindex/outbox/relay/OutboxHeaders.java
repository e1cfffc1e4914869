package io.dynamicindex.outbox.relay;

/**
 * The AMQP headers the relay adds to the queue server's message contract ({@link io.dynamicindex.common.MessageHeaders}).
 */
public final class OutboxHeaders {

    /** The outbox row's id; the message id is {@code outbox-<id>}. */
    public static final String OUTBOX_ID = "x-outbox-id";

    /**
     * {@code true} on a message that an earlier attempt may have published already: after a crash, a takeover from an
     * instance that did not stop cleanly, or a batch whose confirms or offset update failed. Absent otherwise.
     */
    public static final String POSSIBLE_DUPLICATE = "x-possible-duplicate";

    private OutboxHeaders() {
    }
}
