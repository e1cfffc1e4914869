package io.dynamicindex.indexer.filter;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Turns a batch of partner messages into index operations. A queue names its filter by bean name
 * ({@code dynamic-index.indexer.queues.Q.filter}); custom filters are Spring beans implementing this interface.
 * Filters are called from worker threads and must be thread-safe. A filter may query a database once per batch.
 */
public interface MessageFilter {

    /** One result per message, in the order of the batch. */
    List<FilterResult> apply(List<PartnerMessage> batch);

    /**
     * The document a message is mostly about, as "index/id"; messages with the same key go to the same worker, in
     * arrival order. The default reads the canonical {@code index} and {@code id} fields.
     */
    default String routingKey(JsonNode message) {
        return message.path("index").asString("") + "/" + message.path("id").asString("");
    }
}
