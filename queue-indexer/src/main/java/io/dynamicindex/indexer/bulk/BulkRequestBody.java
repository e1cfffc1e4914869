package io.dynamicindex.indexer.bulk;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;

/**
 * Writes operations as a _bulk NDJSON body: one action line, plus a source line for index and update. Index and
 * delete carry their external version; an update never does, because Elasticsearch 7 and 8 refuse a bulk whose update
 * action has {@code version} with a 400 for the whole request ("Update requests do not support versioning").
 */
final class BulkRequestBody {

    private final JsonMapper json;

    BulkRequestBody(JsonMapper json) {
        this.json = json;
    }

    byte[] write(List<IndexOperation> operations) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(operations.size() * 512);
        for (IndexOperation operation : operations) {
            line(out, Map.of(actionName(operation), metadata(operation)));
            if (operation.doc() != null) {
                line(out, source(operation));
            }
        }
        return out.toByteArray();
    }

    private static String actionName(IndexOperation operation) {
        return switch (operation.phase()) {
            case INDEX -> "index";
            case UPDATE -> "update";
            case PREV_DELETE, DELETE, TRIGGER_DELETE -> "delete";
        };
    }

    private static Map<String, Object> metadata(IndexOperation operation) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("_index", operation.key().index());
        metadata.put("_id", operation.key().id());
        if (operation.routing() != null) {
            metadata.put("routing", operation.routing());
        }
        if (operation.phase() == Phase.UPDATE) {
            metadata.put("retry_on_conflict", 3);
        } else if (operation.version() != null) {
            metadata.put("version", operation.version());
            metadata.put("version_type", "external");
        }
        return metadata;
    }

    private Object source(IndexOperation operation) {
        if (operation.phase() != Phase.UPDATE) {
            return operation.doc();
        }
        return operation.upsert() ? Map.of("doc", operation.doc(), "doc_as_upsert", true)
                : Map.of("doc", operation.doc());
    }

    private void line(ByteArrayOutputStream out, Object value) {
        json.writeValue(out, value);
        out.write('\n');
    }
}
