package io.dynamicindex.indexer.rebuild;

/** A run cannot go on: the reason is recorded in the state row, and the rebuild is resumable. */
public final class RebuildFailure extends RuntimeException {

    /** A failure with a reason an operator can act on. */
    public RebuildFailure(String message) {
        super(message);
    }

    /** A failure with a reason and its cause. */
    public RebuildFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
