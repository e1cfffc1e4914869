package io.dynamicindex.indexer.health;

/** The state of one queue's pipeline, from best to worst. */
public enum PipelineState {
    /** Consuming and applying. */
    RUNNING,
    /** A dependency failed retryably; the batch is held and retried with back-off. */
    BACKING_OFF,
    /** A fault an operator must fix (credentials, a blocked or missing index, a spent retry budget); everything is
     *  held unacknowledged and retried slowly until the fault clears. Health is DOWN. */
    HALTED,
    /** Not started, or stopped. */
    STOPPED
}
