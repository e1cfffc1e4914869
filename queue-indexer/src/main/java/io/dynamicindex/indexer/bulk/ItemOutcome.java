package io.dynamicindex.indexer.bulk;

/**
 * The result of one bulk item.
 *
 * @param status    APPLIED, or what the error policy decided for a failure
 * @param errorType Elasticsearch's error type or the policy key that matched, for failures
 * @param reason    Elasticsearch's reason or what went wrong, for failures
 */
public record ItemOutcome(Status status, String errorType, String reason) {

    /** APPLIED, or one of the {@link ErrorAction}s. */
    public enum Status { APPLIED, STALE, RETRY, HALT, DEAD_LETTER, DROP }

    static final ItemOutcome APPLIED = new ItemOutcome(Status.APPLIED, null, null);

    static ItemOutcome of(ErrorAction action, String errorType, String reason) {
        return new ItemOutcome(Status.valueOf(action.name()), errorType, reason);
    }

    /** Still to be sent again: retried, or held while the queue is halted. */
    public boolean isHeld() {
        return status == Status.RETRY || status == Status.HALT;
    }

    /** Settled without being applied: dead-lettered or dropped. */
    public boolean isFailure() {
        return status == Status.DEAD_LETTER || status == Status.DROP;
    }
}
