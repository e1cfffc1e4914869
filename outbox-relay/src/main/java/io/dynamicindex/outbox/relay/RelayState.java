package io.dynamicindex.outbox.relay;

/** What the relay is doing, as health, the status API and the {@code dynamicindex.outbox.state} gauge show it. */
public enum RelayState {

    /** Started, not yet polled. */
    STARTING,

    /** Another instance holds the lease (or the offset row); this one waits to take over. */
    STANDBY,

    /** Holds the lease and publishes. */
    PUBLISHING,

    /**
     * A batch failed (broker or database unavailable, nack, timeout); retried with back-off. Also while the broker
     * blocks the connection (a resource alarm): no batch is started until it unblocks.
     */
    BACKING_OFF,

    /**
     * A row's id lies beyond the outbox sequence (it did not come from the id default): the rows below it are
     * published, nothing from it on until it is removed; or the relay thread failed (an {@link Error}) and ended: nothing is published
     * until the relay is restarted. (A row bad in itself, such as one naming an unknown queue, does not halt the
     * relay: it is moved to {@code outbox_rejected}.)
     */
    HALTED,

    /** Stopped. */
    STOPPED
}
