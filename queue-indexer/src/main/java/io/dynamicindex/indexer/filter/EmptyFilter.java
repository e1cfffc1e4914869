package io.dynamicindex.indexer.filter;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;

/**
 * The default filter: messages already are in the canonical form, so they pass through unchanged. Anything that is
 * not valid canonical form is rejected with a reason naming the field.
 */
@Component("emptyFilter")
public class EmptyFilter implements MessageFilter {

    @Override
    public List<FilterResult> apply(List<PartnerMessage> batch) {
        return MessageFilter.eachMessage(batch, EmptyFilter::translate);
    }

    static FilterResult translate(JsonNode message) {
        try {
            List<IndexOperation> operations = new ArrayList<>();
            for (JsonNode target : list(message, "prevDelete")) {
                operations.add(IndexOperation.delete(Phase.PREV_DELETE, key(target), routing(target), null));
            }
            operations.add(action(message));
            for (JsonNode target : list(message, "triggerDelete")) {
                operations.add(IndexOperation.delete(Phase.TRIGGER_DELETE, key(target), routing(target), null));
            }
            return new FilterResult.Accepted(operations);
        } catch (IllegalArgumentException e) {
            return FilterResult.rejected(e.getMessage());
        }
    }

    private static IndexOperation action(JsonNode message) {
        String action = message.path("action").asString("");
        DocumentKey key = key(message);
        return switch (action) {
            case "index" -> new IndexOperation(Phase.INDEX, key, routing(message), version(message),
                    document(message), false);
            case "update" -> new IndexOperation(Phase.UPDATE, key, routing(message), null, document(message),
                    message.path("upsert").asBoolean(false));
            case "delete" -> IndexOperation.delete(Phase.DELETE, key, routing(message), version(message));
            default -> throw new IllegalArgumentException("unknown action '" + action
                    + "': expected index, update or delete");
        };
    }

    private static DocumentKey key(JsonNode node) {
        return new DocumentKey(text(node, "index"), text(node, "id"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !(value.isString() || value.isNumber()) || value.asString().isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
        }
        return value.asString();
    }

    private static String routing(JsonNode node) {
        JsonNode routing = node.get("routing");
        return routing == null || routing.isNull() ? null : routing.asString();
    }

    private static Long version(JsonNode message) {
        JsonNode version = message.get("version");
        if (version == null || version.isNull()) {
            return null;
        }
        if (!version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() <= 0) {
            throw new IllegalArgumentException("field 'version' must be a positive long, got " + version);
        }
        return version.longValue();
    }

    private static JsonNode document(JsonNode message) {
        JsonNode doc = message.get("doc");
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException("field 'doc' must be a JSON object");
        }
        return doc;
    }

    private static List<JsonNode> list(JsonNode message, String field) {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be an array of {index, id}");
        }
        List<JsonNode> targets = new ArrayList<>();
        value.forEach(targets::add);
        return targets;
    }
}
