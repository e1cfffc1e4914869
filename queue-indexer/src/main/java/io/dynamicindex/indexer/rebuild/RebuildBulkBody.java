package io.dynamicindex.indexer.rebuild;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A _bulk body of archive rows for the new index: an index of the archived source for a live row, a delete for a
 * deleted one, with the row's routing. A versioned row carries its version as {@code external_gte}, so the new
 * index holds the version the live index had (later versioned changes keep being checked against it) and a row
 * written again (a catch-up or a resume) at the same version applies. The source is copied as PostgreSQL prints
 * the jsonb, without parsing it.
 */
final class RebuildBulkBody {

    private final JsonMapper json;
    private final String index;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    private final List<ArchiveRow> rows = new ArrayList<>();

    RebuildBulkBody(JsonMapper json, String index) {
        this.json = json;
        this.index = index;
    }

    void add(ArchiveRow row) {
        if (!row.deleted() && row.document() == null) {
            throw new RebuildFailure("archive row " + row.docId() + " is neither deleted nor has a document");
        }
        ObjectNode action = json.createObjectNode();
        ObjectNode metadata = action.putObject(row.deleted() ? "delete" : "index");
        metadata.put("_index", index).put("_id", row.docId());
        if (row.routing() != null) {
            metadata.put("routing", row.routing());
        }
        if (row.version() != null) {
            metadata.put("version", row.version()).put("version_type", "external_gte");
        }
        json.writeValue(body, action);
        body.write('\n');
        if (!row.deleted()) {
            body.writeBytes(row.document().getBytes(StandardCharsets.UTF_8));
            body.write('\n');
        }
        rows.add(row);
    }

    /** The rows in body order, which is the order of the answer's items. */
    List<ArchiveRow> rows() {
        return rows;
    }

    int size() {
        return body.size();
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    byte[] bytes() {
        return body.toByteArray();
    }
}
