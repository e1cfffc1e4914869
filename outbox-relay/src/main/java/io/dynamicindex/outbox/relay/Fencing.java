package io.dynamicindex.outbox.relay;

import java.time.Duration;

/**
 * The times that keep a paused instance from publishing beside the one that took over. A batch publishes only while
 * its transaction holds the offset row, and only until its deadline ({@code batchBudget} after the claim). Another
 * instance can take the row only once that transaction ended; if the paused instance never resumed, PostgreSQL ends
 * it after {@code idleInTransaction}, which is longer than the batch budget plus two broker heartbeats: by then the
 * broker has normally closed the paused instance's connection too (it misses heartbeats), so whatever it still tries
 * to publish when it resumes is refused, and its deadline check stops it before the next message anyway. Not
 * absolute: the broker does not close a connection it blocks for a resource alarm, and messages written before the
 * pause may sit in buffers and arrive after the new holder's (published again by it, marked).
 *
 * @param batchBudget       how long after its claim a batch may publish and wait for confirms
 * @param idleInTransaction how long PostgreSQL lets a batch's transaction sit idle before it ends it
 */
public record Fencing(Duration batchBudget, Duration idleInTransaction) {

    private static final Duration PUBLISH_SLACK = Duration.ofSeconds(1);
    private static final Duration MARGIN = Duration.ofSeconds(3);

    /** @param heartbeat the broker connection's heartbeat timeout */
    public static Fencing of(Duration confirmTimeout, Duration heartbeat) {
        Duration budget = confirmTimeout.plus(PUBLISH_SLACK);
        return new Fencing(budget, budget.plus(heartbeat.multipliedBy(2)).plus(MARGIN));
    }
}
