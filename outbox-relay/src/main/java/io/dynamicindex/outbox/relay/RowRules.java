package io.dynamicindex.outbox.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dynamicindex.common.IndexAllowList;

/**
 * What makes an outbox row bad in itself, so that it is moved to {@code outbox_rejected} and the rows after it go on:
 * a queue the relay does not know ({@code unknown_queue}), a payload over the message size
 * ({@code message_too_large}), an index outside the queue's allow-list ({@code index_not_allowed}, see
 * {@link IndexCheck}) or a payload that cannot be read to check it ({@code unreadable_payload}). Checked in this
 * order, so a payload over the size is never parsed. Immutable; used by the relay thread.
 */
final class RowRules {

    private final Map<String, IndexAllowList> queues;
    private final long maxMessageSize;

    /**
     * @param queues         the known queues, each with the indices its rows may name
     * @param maxMessageSize the largest payload published, in bytes of UTF-8
     */
    RowRules(Map<String, IndexAllowList> queues, long maxMessageSize) {
        this.queues = Map.copyOf(queues);
        this.maxMessageSize = maxMessageSize;
    }

    /** The rows of a batch that must not be published, with their reasons, in the batch's order. */
    List<OutboxStore.Rejection> rejections(List<OutboxRow> rows) {
        List<OutboxStore.Rejection> rejections = new ArrayList<>();
        for (OutboxRow row : rows) {
            check(row).ifPresent(rejections::add);
        }
        return rejections;
    }

    Optional<OutboxStore.Rejection> check(OutboxRow row) {
        IndexAllowList allowed = queues.get(row.queue());
        if (allowed == null) {
            return Optional.of(new OutboxStore.Rejection(row, "unknown_queue", "queue '" + row.queue()
                    + "' is not in dynamic-index.outbox.queues"));
        }
        long bytes = row.payload().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxMessageSize) {
            return Optional.of(new OutboxStore.Rejection(row, "message_too_large", "the payload has " + bytes
                    + " bytes, dynamic-index.outbox.max-message-size is " + maxMessageSize));
        }
        return IndexCheck.check(row, allowed);
    }
}
