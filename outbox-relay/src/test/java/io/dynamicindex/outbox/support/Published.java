package io.dynamicindex.outbox.support;

import java.util.Map;

import io.dynamicindex.outbox.relay.OutboxHeaders;

/**
 * One message as it reached the queue.
 *
 * @param instance the relay instance that published it (its {@code app-id})
 */
public record Published(long outboxId, String messageId, String instance, boolean possibleDuplicate, String body,
                        Map<String, Object> headers) {

    static Published of(String messageId, String appId, Map<String, Object> headers, String body) {
        return new Published(((Number) headers.get(OutboxHeaders.OUTBOX_ID)).longValue(), messageId, appId,
                Boolean.TRUE.equals(headers.get(OutboxHeaders.POSSIBLE_DUPLICATE)), body, headers);
    }
}
