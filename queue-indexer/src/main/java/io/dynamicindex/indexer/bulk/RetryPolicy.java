package io.dynamicindex.indexer.bulk;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dynamicindex.common.Backoff;
import io.dynamicindex.indexer.health.PipelineState;
import io.dynamicindex.indexer.health.QueueStatus;

/**
 * How a queue handles failures: the error table, the shared back-off, and the retry budget after which a retried
 * item becomes what the table says for {@code retries_exhausted}. The sleeper and clock are injected so that unit
 * tests neither sleep nor depend on time.
 *
 * @param errors      what each failure leads to
 * @param backoff     the wait before each retry
 * @param maxAttempts attempts after which retrying stops; 0 for no limit
 * @param maxAge      how long an item may be retried before retrying stops; zero for no limit
 * @param sleeper     waits between attempts
 * @param clock       measures the age
 */
public record RetryPolicy(ErrorPolicy errors, Backoff backoff, int maxAttempts, Duration maxAge, Sleeper sleeper,
                          Clock clock) {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);
    private static final int WARN_EVERY_ATTEMPTS = 10;

    /** Waits between attempts. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Something to retry until it succeeds; an interrupt ends the retrying. */
    @FunctionalInterface
    public interface Attempt<T> {
        T call() throws InterruptedException;
    }

    /**
     * Calls the action until it returns, waiting with the back-off after each failure while the queue reports
     * BACKING_OFF, or HALTED once the retry budget is spent: for a dependency whose failure must hold the batch in
     * place (a filter's database, the dead-letter store), never reorder or drop it. Only an interrupt ends it.
     *
     * @param what names the dependency in the status and the log, e.g. "filter jdbcFilter"
     */
    public <T> T untilDone(String what, QueueStatus status, Attempt<T> action) throws InterruptedException {
        String source = Thread.currentThread().getName();
        long started = clock.millis();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return action.call();
                } catch (RuntimeException e) {
                    PipelineState state = spent(attempt, started) ? PipelineState.HALTED : PipelineState.BACKING_OFF;
                    status.report(source, state, what + " failed: " + e.getMessage());
                    Duration delay = backoff.delay(attempt - 1);
                    if (attempt % WARN_EVERY_ATTEMPTS == 1) {
                        LOG.warn("{}: {} failed, attempt {}, next in {} ms: {}", status.queue(), what, attempt,
                                delay.toMillis(), e.toString());
                    }
                    sleeper.sleep(delay);
                }
            }
        } finally {
            status.clear(source);
        }
    }

    /** Whether the budget of an item first tried at {@code startedMillis} is spent after {@code attempts}. */
    boolean spent(int attempts, long startedMillis) {
        return maxAttempts > 0 && attempts >= maxAttempts
                || !maxAge.isZero() && clock.millis() - startedMillis >= maxAge.toMillis();
    }

    /** What a retried item becomes once its budget is spent. */
    ItemOutcome exhausted(ItemOutcome retried, int attempts) {
        ErrorAction action = errors.forKey(ErrorPolicy.RETRIES_EXHAUSTED);
        return ItemOutcome.of(action, retried.errorType(), "still failing after " + attempts + " attempt(s): "
                + retried.reason());
    }
}
