package io.dynamicindex.indexer.filter;

import java.util.List;

import io.dynamicindex.common.IndexAllowList;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;

/**
 * What every change of one queue must keep to, checked on the operations its filter made, whatever published the
 * message (the queue server, the outbox relay, a direct AMQP publisher) and whatever filter the queue runs: at most
 * a bounded number of prev- and trigger-delete targets, and only indices of the queue's allow-list. A change that
 * breaks either is refused whole, so none of its operations is applied. Immutable and thread-safe.
 */
public final class ChangeGuard {

    /** Error type of a change that targets an index outside its queue's allow-list. */
    public static final String INDEX_NOT_ALLOWED = "index_not_allowed";
    /** Error type of a change with more prev- or trigger-delete targets than allowed. */
    public static final String TOO_MANY_DELETE_TARGETS = "too_many_delete_targets";

    private final IndexAllowList allowed;
    private final int maxDeleteTargets;

    /**
     * @param allowedIndices   index names or glob patterns ({@code *}, {@code ?}) a change may touch, or null for
     *                         any index
     * @param maxDeleteTargets most prevDelete targets and most triggerDelete targets of one change
     */
    public ChangeGuard(List<String> allowedIndices, int maxDeleteTargets) {
        this.allowed = IndexAllowList.of(allowedIndices);
        this.maxDeleteTargets = maxDeleteTargets;
    }

    /** Why the change must be refused, or null when it may be applied. */
    public Refusal check(List<IndexOperation> operations) {
        Refusal tooMany = tooMany(operations, Phase.PREV_DELETE, "prevDelete");
        if (tooMany == null) {
            tooMany = tooMany(operations, Phase.TRIGGER_DELETE, "triggerDelete");
        }
        return tooMany != null ? tooMany : outsideAllowList(operations);
    }

    /** Whether every index is allowed (no allow-list configured). */
    public boolean allowsEveryIndex() {
        return allowed.unrestricted();
    }

    private Refusal tooMany(List<IndexOperation> operations, Phase phase, String field) {
        long count = operations.stream().filter(operation -> operation.phase() == phase).count();
        if (count <= maxDeleteTargets) {
            return null;
        }
        return new Refusal(TOO_MANY_DELETE_TARGETS, null, "field '" + field + "' has " + count
                + " targets, more than the " + maxDeleteTargets + " allowed (max-delete-targets)");
    }

    private Refusal outsideAllowList(List<IndexOperation> operations) {
        for (IndexOperation operation : operations) {
            String index = operation.key().index();
            if (!allowed.allows(index)) {
                return new Refusal(INDEX_NOT_ALLOWED, operation, "index '" + index + "' (" + field(operation.phase())
                        + ") is not in this queue's allowed-indices " + allowed);
            }
        }
        return null;
    }

    private static String field(Phase phase) {
        return switch (phase) {
            case PREV_DELETE -> "prevDelete";
            case TRIGGER_DELETE -> "triggerDelete";
            default -> "action";
        };
    }

    @Override
    public String toString() {
        return "allowed-indices " + (allowed.unrestricted() ? "any" : allowed) + ", max-delete-targets "
                + maxDeleteTargets;
    }

    /**
     * Why a change is refused.
     *
     * @param errorType the dead letter's error type
     * @param operation the operation at fault, or null when the change as a whole is
     * @param reason    what is wrong, naming the index or the field and count
     */
    public record Refusal(String errorType, IndexOperation operation, String reason) {
    }
}
