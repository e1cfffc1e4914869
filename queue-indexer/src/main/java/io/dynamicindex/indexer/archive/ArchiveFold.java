package io.dynamicindex.indexer.archive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.PartialUpdate;
import io.dynamicindex.indexer.document.Phase;

/**
 * Folds a batch's applied operations, in order, into the archived states of their documents, as Elasticsearch
 * applies them: an index replaces the source, an update merges into it (or creates it with upsert), a delete leaves a
 * tombstone that keeps the version. A versioned operation whose version is not above the archived one is stale and
 * changes nothing, so an older version never overwrites a newer one, whatever the order. An update of a document the
 * archive does not hold, without upsert, changes nothing either.
 */
public final class ArchiveFold {

    /** The documents the batch changed, with their final states, and the operations that changed them. */
    public record Result(Map<DocumentKey, DocumentState> changed, List<IndexOperation> effective) {
    }

    private ArchiveFold() {
    }

    /** @param current the archived state of every document the operations touch; absent ones need no entry */
    public static Result fold(Map<DocumentKey, DocumentState> current, List<IndexOperation> operations) {
        Map<DocumentKey, DocumentState> changed = new LinkedHashMap<>();
        List<IndexOperation> effective = new ArrayList<>();
        for (IndexOperation operation : operations) {
            DocumentState before = changed.getOrDefault(operation.key(),
                    current.getOrDefault(operation.key(), DocumentState.ABSENT));
            DocumentState after = apply(before, operation);
            if (after != null) {
                changed.put(operation.key(), after);
                effective.add(operation);
            }
        }
        return new Result(changed, effective);
    }

    /** The state after the operation, or null when the operation changes nothing. */
    static DocumentState apply(DocumentState state, IndexOperation operation) {
        if (operation.version() != null && state.version() != null && operation.version() <= state.version()) {
            return null;
        }
        Long version = operation.version() != null ? operation.version() : state.version();
        String routing = operation.routing() != null ? operation.routing() : state.routing();
        if (operation.isDelete()) {
            return new DocumentState(routing, version, null);
        }
        if (operation.phase() == Phase.INDEX) {
            return new DocumentState(routing, version, operation.doc());
        }
        if (!state.deleted()) {
            return new DocumentState(routing, version, PartialUpdate.merge(state.document(), operation.doc(), false));
        }
        return operation.upsert() ? new DocumentState(routing, version, operation.doc()) : null;
    }
}
