package io.dynamicindex.indexer.bulk;

/** What the indexer does with an operation that Elasticsearch did not apply. */
public enum ErrorAction {
    /** A newer version is already there: the change is obsolete, and settled. */
    STALE,
    /** Retried with back-off, resending only the failed items. */
    RETRY,
    /** Stored in the dead-letter table with its reason, then settled: a fault of the data itself. */
    DEAD_LETTER,
    /** Held and retried slowly while the queue reports HALTED (health DOWN): a fault an operator must fix. */
    HALT,
    /** Settled without being applied or stored, and counted. Only for operators who choose it. */
    DROP
}
