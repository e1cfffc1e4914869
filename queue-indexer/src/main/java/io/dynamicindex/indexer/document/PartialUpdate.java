package io.dynamicindex.indexer.document;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Elasticsearch's partial-update merge of a {@code doc} into a document's source. */
public final class PartialUpdate {

    private PartialUpdate() {
    }

    /**
     * Objects merge field by field, recursively; anything else replaces. With {@code strict}, a field that is an
     * object on one side and not on the other gives null, because merging two partials first would then differ from
     * merging them one after the other into an unknown document.
     */
    public static JsonNode merge(JsonNode base, JsonNode partial, boolean strict) {
        if (!base.isObject() || !partial.isObject()) {
            return strict && base.isObject() != partial.isObject() ? null : partial;
        }
        ObjectNode merged = ((ObjectNode) base).deepCopy();
        for (Map.Entry<String, JsonNode> field : partial.properties()) {
            JsonNode existing = merged.get(field.getKey());
            JsonNode value = existing == null ? field.getValue() : merge(existing, field.getValue(), strict);
            if (value == null) {
                return null;
            }
            merged.set(field.getKey(), value);
        }
        return merged;
    }
}
