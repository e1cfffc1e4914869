package io.dynamicindex.indexer.document;

import tools.jackson.databind.JsonNode;

/**
 * One operation on one document.
 *
 * @param phase   the bulk phase it belongs to; prev- and trigger-deletes are deletes in their own phases
 * @param key     the document
 * @param routing custom routing, or null
 * @param version external version, or null for none (index and delete only)
 * @param doc     the full document (index) or the partial document (update); null for deletes
 * @param upsert  for update: create the document from doc when it is missing
 */
public record IndexOperation(Phase phase, DocumentKey key, String routing, Long version, JsonNode doc,
                             boolean upsert) {

    public static IndexOperation delete(Phase phase, DocumentKey key, String routing, Long version) {
        return new IndexOperation(phase, key, routing, version, null, false);
    }

    public boolean isDelete() {
        return phase == Phase.PREV_DELETE || phase == Phase.DELETE || phase == Phase.TRIGGER_DELETE;
    }
}
