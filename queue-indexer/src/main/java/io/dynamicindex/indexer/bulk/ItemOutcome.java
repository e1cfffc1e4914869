package io.dynamicindex.indexer.bulk;

/**
 * The result of one bulk item.
 *
 * @param status    APPLIED, STALE (an external version conflict: a newer change is already there), RETRY or
 *                  PERMANENT
 * @param errorType Elasticsearch's error type, for RETRY and PERMANENT
 * @param reason    Elasticsearch's reason, for RETRY and PERMANENT
 */
public record ItemOutcome(Status status, String errorType, String reason) {

    public enum Status { APPLIED, STALE, RETRY, PERMANENT }

    static final ItemOutcome APPLIED = new ItemOutcome(Status.APPLIED, null, null);
    static final ItemOutcome STALE = new ItemOutcome(Status.STALE, null, null);

    static ItemOutcome retry(String errorType, String reason) {
        return new ItemOutcome(Status.RETRY, errorType, reason);
    }

    static ItemOutcome permanent(String errorType, String reason) {
        return new ItemOutcome(Status.PERMANENT, errorType, reason);
    }

    public boolean isPermanent() {
        return status == Status.PERMANENT;
    }
}
