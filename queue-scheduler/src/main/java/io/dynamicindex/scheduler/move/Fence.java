package io.dynamicindex.scheduler.move;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What a tick must stop for, checked before every acknowledgement and every wait: the end of its lease (after it,
 * another instance may hold the route, so this one acknowledges nothing more and gives back what it holds), and a
 * target broker that blocks publishing for a resource alarm (its confirms would only come once the alarm clears).
 *
 * @param deadlineNanos  {@link System#nanoTime()} at which the tick's lease may run out, less a safety margin
 * @param targetBlocked  the target broker's reason while it blocks publishing
 */
record Fence(long deadlineNanos, Supplier<Optional<String>> targetBlocked) {

    void check(String targetQueue) throws IOException, TimeoutException {
        Optional<String> blocked = targetBlocked.get();
        if (blocked.isPresent()) {
            throw new IOException("the target broker blocks publishing to " + targetQueue + " (" + blocked.get()
                    + "): a resource alarm; everything unacknowledged goes back to the source");
        }
        if (passed()) {
            throw new TimeoutException("the tick reached the end of its lease; it acknowledges nothing more and "
                    + "gives everything unacknowledged back to the source");
        }
    }

    boolean passed() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    /** Milliseconds left before the deadline, at least 1. */
    long millisLeft() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
