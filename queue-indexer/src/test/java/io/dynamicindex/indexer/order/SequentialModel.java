package io.dynamicindex.indexer.order;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Elasticsearch must hold after applying canonical messages one at a time, in queue order: documents are flat
 * maps; update merges top-level fields (creating the document only with upsert); versioned documents end at the
 * operation with the highest version, whatever the order.
 */
public final class SequentialModel {

    private final Map<String, Map<String, Object>> documents = new TreeMap<>();
    private final Map<String, Long> highestVersion = new HashMap<>();
    private int missingUpdates;

    public void apply(GeneratedMessage message) {
        message.prevDeletes().forEach(documents::remove);
        switch (message.action()) {
            case "index" -> index(message);
            case "update" -> update(message);
            case "delete" -> delete(message);
            default -> throw new IllegalArgumentException(message.action());
        }
        message.triggerDeletes().forEach(documents::remove);
    }

    private void index(GeneratedMessage message) {
        if (message.version() == null || newest(message)) {
            documents.put(message.key(), new LinkedHashMap<>(message.doc()));
        }
    }

    private void update(GeneratedMessage message) {
        Map<String, Object> current = documents.get(message.key());
        if (current != null) {
            current.putAll(message.doc());
        } else if (message.upsert()) {
            documents.put(message.key(), new LinkedHashMap<>(message.doc()));
        } else {
            missingUpdates++;
        }
    }

    private void delete(GeneratedMessage message) {
        if (message.version() == null || newest(message)) {
            documents.remove(message.key());
        }
    }

    /** Versioned keys converge to their highest version; this records it and says whether the message is it. */
    private boolean newest(GeneratedMessage message) {
        long best = highestVersion.getOrDefault(message.key(), 0L);
        if (message.version() > best) {
            highestVersion.put(message.key(), message.version());
            return true;
        }
        return false;
    }

    /** Updates without upsert of a missing document: Elasticsearch refuses each (document_missing_exception). */
    public int missingUpdates() {
        return missingUpdates;
    }

    public Map<String, Map<String, Object>> documents() {
        return documents;
    }
}
