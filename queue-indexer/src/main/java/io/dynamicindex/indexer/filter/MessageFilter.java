package io.dynamicindex.indexer.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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
     * Every document the message will touch, as "index/id", the main document first. Work on one document is
     * applied by one worker in arrival order, so a filter whose operations touch documents not listed here loses
     * that guarantee for them. The default reads the canonical {@code index}/{@code id}, {@code prevDelete} and
     * {@code triggerDelete} fields.
     */
    default List<String> documentKeys(JsonNode message) {
        List<String> keys = new ArrayList<>();
        keys.add(key(message));
        message.path("prevDelete").forEach(target -> keys.add(key(target)));
        message.path("triggerDelete").forEach(target -> keys.add(key(target)));
        return keys;
    }

    /** For filters that translate each message on its own: applies translate to every message, in order. */
    static List<FilterResult> eachMessage(List<PartnerMessage> batch, Function<JsonNode, FilterResult> translate) {
        List<FilterResult> results = new ArrayList<>(batch.size());
        for (PartnerMessage message : batch) {
            results.add(translate.apply(message.body()));
        }
        return results;
    }

    private static String key(JsonNode node) {
        return node.path("index").asString("") + "/" + node.path("id").asString("");
    }
}
