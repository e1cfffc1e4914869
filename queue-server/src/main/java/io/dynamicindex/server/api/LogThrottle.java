package io.dynamicindex.server.api;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval and counts the ones held back, so that a flood of bad requests cannot fill
 * the log. Thread-safe.
 */
final class LogThrottle {

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long lastPassed;
    private boolean passedOnce;
    private long suppressed;

    LogThrottle(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The number of lines held back since the last one that passed, or -1 when this one is held back too. */
    synchronized long pass() {
        long now = nanoClock.getAsLong();
        if (passedOnce && now - lastPassed < intervalNanos) {
            suppressed++;
            return -1;
        }
        long heldBack = suppressed;
        passedOnce = true;
        lastPassed = now;
        suppressed = 0;
        return heldBack;
    }
}
