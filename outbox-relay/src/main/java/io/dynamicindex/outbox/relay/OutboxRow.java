package io.dynamicindex.outbox.relay;

/**
 * One outbox row as the relay publishes it.
 *
 * @param queue   the source queue the row names
 * @param partner the partner the change comes from ({@code x-partner}); null when the producer left it out
 * @param payload one change, a JSON object, as a partner would POST it
 */
public record OutboxRow(long id, String queue, String partner, String payload) {
}
