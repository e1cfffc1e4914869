package io.dynamicindex.indexer.bulk;

/**
 * The result of one bulk item.
 *
 * @param status    APPLIED, or what the error policy decided for a failure
 * @param errorType Elasticsearch's error type or the policy key that matched, for failures
 * @param reason    Elasticsearch's reason or what went wrong, for failures
 * @param version   the {@code _version} Elasticsearch answered for an applied item (kept by a {@code noop} update,
 *                  given for a delete of a missing document too), or null when the answer has none
 */
public record ItemOutcome(Status status, String errorType, String reason, Long version) {

    /** APPLIED, or one of the {@link ErrorAction}s. */
    public enum Status { APPLIED, STALE, RETRY, HALT, DEAD_LETTER, DROP }

    /** Applied, without a version in the answer (a queue without an archive asks for none). */
    static final ItemOutcome APPLIED = new ItemOutcome(Status.APPLIED, null, null, null);

    /** An outcome without a version. */
    public ItemOutcome(Status status, String errorType, String reason) {
        this(status, errorType, reason, null);
    }

    static ItemOutcome applied(Long version) {
        return version == null ? ItemOutcome.APPLIED : new ItemOutcome(Status.APPLIED, null, null, version);
    }

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
