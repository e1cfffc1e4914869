package io.dynamicindex.benchmark.stage;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.environment.DaemonState;
import io.dynamicindex.benchmark.measure.CpuWindow;

/**
 * Waits for an indexer to apply a backlog, reading its applied counter every {@link #POLL_MILLIS}; the rate and the
 * CPU window run from the first reading at or above a start count to the last, so the indexer's start-up (and, with a
 * higher start count, its JIT warm-up) stays out of them.
 */
final class DrainWatch {

    /**
     * How often the indexer's applied counter is read: each read is an authenticated actuator request, and reading
     * every 100 ms was 14 % of the indexer's CPU samples in a profile of the drain.
     */
    static final long POLL_MILLIS = 500;

    /**
     * What one drain (or relay) measured: changes per second, the changes inside the window, and the window's CPU.
     */
    record Drained(double rate, long measured, CpuWindow.Usage usage) {

        /** CPU microseconds per change of one watched process name. */
        double micros(String name) {
            return usage.microsPerMessage(name, Math.max(1, measured));
        }
    }

    private DrainWatch() {
    }

    /** @param startAt the applied count that opens the window; at least 1 */
    static Drained await(StageContext context, Daemon indexer, long changes, long startAt)
            throws InterruptedException {
        return await(context, indexer, changes, startAt, POLL_MILLIS, "applied", () -> DaemonState.applied(indexer));
    }

    /**
     * Waits until a count read every pollMillis reaches total; the window opens at the first reading at or above
     * startAt and watches the daemon's CPU with the services'.
     *
     * @param done what the count counts, for progress and the failure message ("applied", "relayed")
     */
    static Drained await(StageContext context, Daemon daemon, long total, long startAt, long pollMillis,
                         String done, LongSupplier count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(120, total / 500)).toNanos();
        CpuWindow cpu = null;
        long startNanos = 0;
        long startCount = 0;
        long counted = 0;
        while (counted < total && System.nanoTime() < deadline) {
            Thread.sleep(pollMillis);
            counted = count.getAsLong();
            if (cpu == null && counted >= Math.max(1, startAt)) {
                cpu = context.cpuWindow(daemon);
                startNanos = System.nanoTime();
                startCount = counted;
            }
            context.progress().update(done + " " + counted + " of " + total);
        }
        if (cpu == null || counted < total) {
            throw new IllegalStateException(daemon.name() + " " + done + " " + counted + " of " + total + " in time");
        }
        CpuWindow.Usage usage = cpu.close();
        long measured = counted - startCount;
        return new Drained(measured / ((System.nanoTime() - startNanos) / 1e9), measured, usage);
    }
}
