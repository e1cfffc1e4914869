package io.dynamicindex.indexer.bulk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import tools.jackson.databind.JsonNode;

import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.PartialUpdate;
import io.dynamicindex.indexer.document.Phase;

/**
 * Folds the consecutive changes of a batch to one document into their final effect, so that a hot document costs
 * one bulk item per batch and the batch needs no extra round for it. Only a message that is one unversioned index,
 * update or delete folds; any other message (prev- or trigger-deletes, an external version) stays as it is and cuts
 * the chains of every document it touches, so the order per document is kept.
 *
 * <p>The rules reproduce applying the changes one at a time, final document and failures alike: index then update is
 * one index of the merged document; anything then delete is the delete; anything that cannot fail for a missing
 * document then index is the index; delete then upsert is an index of the partial document; updates with the same
 * upsert flag (or an upsert then an update) merge when no field turns from an object into a value or back. An
 * update that would fail on a missing document folds only with updates like it (they fail or succeed together).
 * Elasticsearch rejecting a folded item is handled by the caller, which applies its changes one at a time.
 */
final class Coalescer {

    private Coalescer() {
    }

    /**
     * Operations applied as one unit, and the messages they come from (one, or several for a folded chain).
     *
     * @param folded whether it stands for several messages; if Elasticsearch rejects it, they are applied one by one
     */
    record Unit(List<IndexOperation> operations, List<Integer> owners, boolean folded) {
    }

    /** The batch as units, in the order of their first message. */
    static List<Unit> units(List<List<IndexOperation>> operationsPerMessage) {
        List<Unit> units = new ArrayList<>();
        Map<DocumentKey, Integer> open = new HashMap<>();
        for (int message = 0; message < operationsPerMessage.size(); message++) {
            List<IndexOperation> operations = operationsPerMessage.get(message);
            if (!foldable(operations)) {
                units.add(new Unit(operations, List.of(message), false));
                operations.forEach(operation -> open.remove(operation.key()));
                continue;
            }
            IndexOperation next = operations.get(0);
            Integer at = open.get(next.key());
            IndexOperation folded = at == null ? null : fold(units.get(at).operations().get(0), next);
            if (folded == null) {
                open.put(next.key(), units.size());
                units.add(new Unit(operations, List.of(message), false));
            } else {
                List<Integer> owners = new ArrayList<>(units.get(at).owners());
                owners.add(message);
                units.set(at, new Unit(List.of(folded), owners, true));
            }
        }
        return units;
    }

    private static boolean foldable(List<IndexOperation> operations) {
        if (operations.size() != 1) {
            return false;
        }
        IndexOperation operation = operations.get(0);
        Phase phase = operation.phase();
        return operation.version() == null
                && (phase == Phase.INDEX || phase == Phase.UPDATE || phase == Phase.DELETE);
    }

    /** The one operation equal to {@code first} then {@code next} on one document, or null when none is. */
    static IndexOperation fold(IndexOperation first, IndexOperation next) {
        if (!Objects.equals(first.routing(), next.routing())) {
            return null;
        }
        if (first.phase() == Phase.UPDATE && !first.upsert()) {
            return next.phase() == Phase.UPDATE && !next.upsert() ? mergedUpdate(first, next, false) : null;
        }
        return switch (next.phase()) {
            case DELETE -> next;
            case INDEX -> next;
            case UPDATE -> afterUpdate(first, next);
            default -> null;
        };
    }

    private static IndexOperation afterUpdate(IndexOperation first, IndexOperation update) {
        return switch (first.phase()) {
            case INDEX -> withDoc(Phase.INDEX, first, PartialUpdate.merge(first.doc(), update.doc(), false), false);
            case DELETE -> update.upsert() ? withDoc(Phase.INDEX, update, update.doc(), false) : null;
            case UPDATE -> mergedUpdate(first, update, true);
            default -> null;
        };
    }

    private static IndexOperation mergedUpdate(IndexOperation first, IndexOperation next, boolean upsert) {
        JsonNode merged = PartialUpdate.merge(first.doc(), next.doc(), true);
        return merged == null ? null : withDoc(Phase.UPDATE, first, merged, upsert);
    }

    private static IndexOperation withDoc(Phase phase, IndexOperation from, JsonNode doc, boolean upsert) {
        return new IndexOperation(phase, from.key(), from.routing(), null, doc, upsert);
    }
}
