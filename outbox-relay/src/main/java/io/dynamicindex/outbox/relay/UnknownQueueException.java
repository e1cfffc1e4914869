package io.dynamicindex.outbox.relay;

/** A row names a queue that is not in {@code dynamic-index.outbox.queues}: the relay halts at it. */
class UnknownQueueException extends RuntimeException {

    UnknownQueueException(OutboxRow row) {
        super("outbox row " + row.id() + " names queue '" + row.queue() + "', which is not in "
                + "dynamic-index.outbox.queues: nothing from this row on is published until the row "
                + "(UPDATE outbox SET queue = ... WHERE id = " + row.id() + ") or the configuration is fixed");
    }
}
