package io.dynamicindex.indexer.bulk;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.document.IndexOperation;

/**
 * Reads every item of a _bulk response and sorts it: applied, stale (external version conflict), retryable (429,
 * 5xx, or a conflict without external version) or permanent (any other 4xx: mapping errors, a missing document on
 * update). A delete of a missing document counts as applied, since the goal "document absent" holds.
 */
final class BulkResponseReader {

    private final JsonMapper json;

    BulkResponseReader(JsonMapper json) {
        this.json = json;
    }

    List<ItemOutcome> read(List<IndexOperation> operations, byte[] body) {
        JsonNode items = json.readTree(body).path("items");
        if (items.size() != operations.size()) {
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

    static ItemOutcome classify(IndexOperation operation, JsonNode item) {
        int status = item.path("status").asInt();
        if (status >= 200 && status < 300) {
            return ItemOutcome.APPLIED;
        }
        if (status == 404 && operation.isDelete()) {
            return ItemOutcome.APPLIED;
        }
        if (status == 409 && operation.version() != null) {
            return ItemOutcome.STALE;
        }
        String type = item.path("error").path("type").asString("http_" + status);
        String reason = item.path("error").path("reason").asString("status " + status);
        if (status == 429 || status >= 500 || status == 409) {
            return ItemOutcome.retry(type, reason);
        }
        return ItemOutcome.permanent(type, reason);
    }
}
