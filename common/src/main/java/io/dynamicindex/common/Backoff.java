package io.dynamicindex.common;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential back-off with full jitter: attempt n waits a random time in [0, min(cap, initial * 2^n)].
 * Full jitter spreads retries of many workers over the whole window, so a recovering Elasticsearch is not hit by
 * a synchronized wave. The random source is injected so that tests are deterministic.
 */
public final class Backoff {

    private final long initialMillis;
    private final long capMillis;
    private final LongUnaryOperator randomBelow;

    /**
     * @param randomBelow given a bound b &gt; 0, returns a value in [0, b]
     */
    public Backoff(Duration initial, Duration cap, LongUnaryOperator randomBelow) {
        if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < initial <= cap, got initial=" + initial
                    + " cap=" + cap);
        }
        this.initialMillis = initial.toMillis();
        this.capMillis = cap.toMillis();
        this.randomBelow = randomBelow;
    }

    /** Full jitter from {@link java.util.concurrent.ThreadLocalRandom}. */
    public static Backoff withRandomJitter(Duration initial, Duration cap) {
        return new Backoff(initial, cap,
                bound -> java.util.concurrent.ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** The upper bound of the wait before retry number attempt (0-based). */
    public long ceilingMillis(int attempt) {
        int shift = Math.min(attempt, 30);
        long ceiling = initialMillis << shift;
        return ceiling <= 0 || ceiling > capMillis ? capMillis : ceiling;
    }

    /** The wait before retry number attempt (0-based). */
    public Duration delay(int attempt) {
        return Duration.ofMillis(randomBelow.applyAsLong(ceilingMillis(attempt)));
    }
}
