package io.dynamicindex.indexer.bulk;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.document.IndexOperation;

/**
 * Reads every item of a _bulk response and asks the error policy what each failed item leads to. A delete of a
 * missing document counts as applied, since the goal "document absent" holds. A version conflict is stale only for
 * an operation with an external version; without one it is a concurrent write, and retried. An applied item keeps
 * the {@code _version} Elasticsearch answered, which the archive takes as the document's version. A body that is not
 * a bulk answer for these operations throws.
 */
final class BulkResponseReader {

    private final JsonMapper json;
    private final ErrorPolicy policy;

    BulkResponseReader(JsonMapper json, ErrorPolicy policy) {
        this.json = json;
        this.policy = policy;
    }

    List<ItemOutcome> read(List<IndexOperation> operations, byte[] body) {
        JsonNode items = json.readTree(body).path("items");
        if (!items.isArray() || items.size() != operations.size()) {
            throw new IllegalStateException("bulk response has " + items.size() + " items for "
                    + operations.size() + " operations");
        }
        List<ItemOutcome> outcomes = new ArrayList<>(operations.size());
        for (int i = 0; i < operations.size(); i++) {
            JsonNode item = items.get(i).properties().iterator().next().getValue();
            outcomes.add(classify(operations.get(i), item));
        }
        return outcomes;
    }

    ItemOutcome classify(IndexOperation operation, JsonNode item) {
        int status = item.path("status").asInt();
        if (status >= 200 && status < 300 || status == 404 && operation.isDelete()) {
            return ItemOutcome.applied(item.path("_version").isIntegralNumber() ? item.path("_version").asLong()
                    : null);
        }
        JsonNode error = item.path("error");
        String type = error.path("type").isString() ? error.path("type").asString() : null;
        String reason = error.path("reason").asString("status " + status);
        ErrorAction action = policy.forItem(type, status, reason);
        if (action == ErrorAction.STALE && operation.version() == null) {
            action = ErrorAction.RETRY;
        }
        return ItemOutcome.of(action, type == null ? "item_" + status : type, reason);
    }
}
