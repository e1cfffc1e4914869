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
 * creates it with upsert) and keeps an existing document's routing unless it names one, a delete leaves a tombstone
 * that keeps the version. Elasticsearch judges staleness, not the archive: what it applied is folded whatever the
 * archived version, and what it refused as stale is not given to the fold at all, except a repeat (Elasticsearch
 * holds exactly that version already: a batch retried after its archive write failed), which changes the document
 * only when it is newer than the archived version.
 *
 * <p>The version follows Elasticsearch's: a versioned document takes the {@code _version} Elasticsearch answered for
 * the operation, so an unversioned update that changed nothing ({@code noop}) keeps it. Where the answer has none (a
 * repeat, or an operation folded into a later message's), an external version replaces it and a change without one
 * raises it by one, as Elasticsearch's internal versioning does; the same holds where Elasticsearch answers a version
 * lower than the archived one (it forgot the tombstone after {@code index.gc_deletes}), since the upsert never lets a
 * lower version overwrite a higher one. A document that no versioned change reached keeps none. An update of a
 * document the archive does not hold, without upsert, changes nothing.
 */
public final class ArchiveFold {

    /** The documents the batch changed, with their final states, and the operations that changed them. */
    public record Result(Map<DocumentKey, DocumentState> changed, List<IndexOperation> effective) {
    }

    private ArchiveFold() {
    }

    /** Folds operations for which Elasticsearch answered no versions. */
    public static Result fold(Map<DocumentKey, DocumentState> current, List<IndexOperation> operations,
                              Set<IndexOperation> repeats) {
        return fold(current, operations, repeats, Map.of());
    }

    /**
     * @param current    the archived state of every document the operations touch; absent ones need no entry
     * @param operations the operations Elasticsearch applied, and the repeats, in order
     * @param repeats    which of the operations are repeats (an identity set)
     * @param versions   the {@code _version} Elasticsearch answered per operation, where it answered one (an
     *                   identity map)
     */
    public static Result fold(Map<DocumentKey, DocumentState> current, List<IndexOperation> operations,
                              Set<IndexOperation> repeats, Map<IndexOperation, Long> versions) {
        Map<DocumentKey, DocumentState> changed = new LinkedHashMap<>();
        List<IndexOperation> effective = new ArrayList<>();
        for (IndexOperation operation : operations) {
            DocumentState before = changed.getOrDefault(operation.key(),
                    current.getOrDefault(operation.key(), DocumentState.ABSENT));
            Long answered = answered(versions.get(operation), current.get(operation.key()));
            DocumentState after = repeats.contains(operation) && !newer(operation, before) ? null
                    : apply(before, operation, answered);
            if (after != null) {
                changed.put(operation.key(), after);
                effective.add(operation);
            }
        }
        return new Result(changed, effective);
    }

    /** The version Elasticsearch answered, unless it is lower than the one archived before the batch. */
    private static Long answered(Long answered, DocumentState archived) {
        boolean lower = answered != null && archived != null && archived.version() != null
                && answered < archived.version();
        return lower ? null : answered;
    }

    private static boolean newer(IndexOperation operation, DocumentState state) {
        return state.version() == null || operation.version() > state.version();
    }

    /**
     * The state after an operation Elasticsearch applied, or null when the operation changes nothing.
     *
     * @param answered the {@code _version} Elasticsearch answered for it, or null
     */
    static DocumentState apply(DocumentState state, IndexOperation operation, Long answered) {
        Long version = version(state, operation, answered);
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

    /**
     * A versioned document's version after the operation: the one Elasticsearch answered, else the estimate; null for
     * a document no versioned change reached.
     */
    private static Long version(DocumentState state, IndexOperation operation, Long answered) {
        Long estimate = operation.version() != null ? operation.version() : raised(state, operation);
        return estimate == null || answered == null ? estimate : answered;
    }

    /** A versioned document's version after a change without one: one up, but a tombstone deleted again keeps it. */
    private static Long raised(DocumentState state, IndexOperation operation) {
        if (state.version() == null || state.deleted() && operation.isDelete()) {
            return state.version();
        }
        return state.version() + 1;
    }
}
