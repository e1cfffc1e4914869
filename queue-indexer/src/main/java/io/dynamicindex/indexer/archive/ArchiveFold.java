package io.dynamicindex.indexer.archive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.PartialUpdate;
import io.dynamicindex.indexer.document.Phase;

/**
 * Folds a batch's operations that Elasticsearch applied, in order, into the archived states of their documents, as
 * Elasticsearch applies them: an index replaces the source and the routing, an update merges into the source (or
 * creates it with upsert) and keeps an existing document's routing unless it names one, a delete leaves a tombstone that keeps the
 * version. Elasticsearch judges staleness, not the archive: what it applied is folded whatever the archived version,
 * and what it refused as stale is not given to the fold at all, except a repeat (Elasticsearch holds exactly that
 * version already: a batch retried after its archive write failed), which changes the document only when it is newer
 * than the archived version. The version follows Elasticsearch's: an external version replaces it, and a change
 * without one raises a versioned document's version by one, as Elasticsearch's internal versioning does. An update
 * of a document the archive does not hold, without upsert, changes nothing.
 */
public final class ArchiveFold {

    /** The documents the batch changed, with their final states, and the operations that changed them. */
    public record Result(Map<DocumentKey, DocumentState> changed, List<IndexOperation> effective) {
    }

    private ArchiveFold() {
    }

    /**
     * @param current    the archived state of every document the operations touch; absent ones need no entry
     * @param operations the operations Elasticsearch applied, and the repeats, in order
     * @param repeats    which of the operations are repeats (an identity set)
     */
    public static Result fold(Map<DocumentKey, DocumentState> current, List<IndexOperation> operations,
                              Set<IndexOperation> repeats) {
        Map<DocumentKey, DocumentState> changed = new LinkedHashMap<>();
        List<IndexOperation> effective = new ArrayList<>();
        for (IndexOperation operation : operations) {
            DocumentState before = changed.getOrDefault(operation.key(),
                    current.getOrDefault(operation.key(), DocumentState.ABSENT));
            DocumentState after = repeats.contains(operation) && !newer(operation, before) ? null
                    : apply(before, operation);
            if (after != null) {
                changed.put(operation.key(), after);
                effective.add(operation);
            }
        }
        return new Result(changed, effective);
    }

    private static boolean newer(IndexOperation operation, DocumentState state) {
        return state.version() == null || operation.version() > state.version();
    }

    /** The state after an operation Elasticsearch applied, or null when the operation changes nothing. */
    static DocumentState apply(DocumentState state, IndexOperation operation) {
        Long version = operation.version() != null ? operation.version() : raised(state, operation);
        if (operation.isDelete()) {
            return new DocumentState(operation.routing(), version, null);
        }
        if (operation.phase() == Phase.INDEX) {
            return new DocumentState(operation.routing(), version, operation.doc());
        }
        if (!state.deleted()) {
            String routing = operation.routing() != null ? operation.routing() : state.routing();
            return new DocumentState(routing, version, PartialUpdate.merge(state.document(), operation.doc(), false));
        }
        return operation.upsert() ? new DocumentState(operation.routing(), version, operation.doc()) : null;
    }

    /** A versioned document's version after a change without one: one up, but a tombstone deleted again keeps it. */
    private static Long raised(DocumentState state, IndexOperation operation) {
        if (state.version() == null || state.deleted() && operation.isDelete()) {
            return state.version();
        }
        return state.version() + 1;
    }
}
