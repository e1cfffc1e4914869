package io.dynamicindex.indexer.buffer;

import tools.jackson.databind.JsonNode;

import io.dynamicindex.indexer.consume.InboundDelivery;

/**
 * One canonical (or partner) message waiting in the buffer.
 *
 * @param delivery   the AMQP delivery it belongs to
 * @param body       the parsed message, or null when it is not valid JSON
 * @param raw        the message's bytes, kept for the dead-letter store
 * @param parseError why it could not be parsed, or null
 */
public record WorkItem(InboundDelivery delivery, JsonNode body, byte[] raw, String parseError) {
}
