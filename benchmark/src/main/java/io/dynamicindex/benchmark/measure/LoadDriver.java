package io.dynamicindex.benchmark.measure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

import io.dynamicindex.benchmark.workload.WorkloadGenerator.Batch;

/**
 * Drives load into a sink from several client threads ({@code load-client-N}), either back to back (closed loop:
 * the maximum rate) or at a fixed offered rate (open loop: batch k is due at start + k x interval, whatever the
 * sink's speed, so a slow sink shows as an accepted rate below the offered one). Each batch's acceptance time feeds
 * the request latency and, for batches that carry a probe, the probe tracker. Owns its client threads.
 */
public final class LoadDriver {

    /** Sends one batch and returns once the receiver accepted it; throws when it refused. */
    @FunctionalInterface
    public interface Sink {
        void accept(Batch batch) throws Exception;
    }

    /** Makes a new sink per client thread, for sinks that are not thread-safe. */
    @FunctionalInterface
    public interface SinkFactory {
        Sink create() throws Exception;
    }

    /** What a finished run measured. */
    public record Outcome(long accepted, long failed, long requests, double seconds, LatencySamples requestLatency,
                          String lastError) {
        public double acceptedPerSecond() {
            return accepted / seconds;
        }
    }

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong tickets = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final LatencySamples requestLatency = new LatencySamples();
    private final List<Thread> clients = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private final long endNanos;
    private final long intervalNanos;

    private LoadDriver(Duration duration, long intervalNanos) {
        this.endNanos = startNanos + duration.toNanos();
        this.intervalNanos = intervalNanos;
    }

    /** Back-to-back batches from each client for the duration. */
    public static LoadDriver closedLoop(int clients, Duration duration, LongFunction<Batch> batches,
                                        SinkFactory sinks, ProbeTracker probes) {
        return start(new LoadDriver(duration, 0), clients, batches, sinks, probes);
    }

    /** Batches of batchSize at messagesPerSecond for the duration, from up to clients concurrent requests. */
    public static LoadDriver fixedRate(double messagesPerSecond, int batchSize, int clients, Duration duration,
                                       LongFunction<Batch> batches, SinkFactory sinks, ProbeTracker probes) {
        long interval = (long) (1e9 * batchSize / messagesPerSecond);
        return start(new LoadDriver(duration, interval), clients, batches, sinks, probes);
    }

    private static LoadDriver start(LoadDriver driver, int clients, LongFunction<Batch> batches, SinkFactory sinks,
                                    ProbeTracker probes) {
        for (int i = 0; i < clients; i++) {
            Thread client = new Thread(() -> driver.runClient(batches, sinks, probes), "load-client-" + (i + 1));
            client.setDaemon(true);
            driver.clients.add(client);
            client.start();
        }
        return driver;
    }

    /** Messages accepted so far. */
    public long accepted() {
        return accepted.get();
    }

    /** Whether any client is still sending. */
    public boolean running() {
        return clients.stream().anyMatch(Thread::isAlive);
    }

    /** Waits for every client to finish its last batch. */
    public Outcome await() throws InterruptedException {
        for (Thread client : clients) {
            client.join();
        }
        double seconds = Math.max(System.nanoTime(), endNanos) - startNanos;
        return new Outcome(accepted.get(), failed.get(), requests.get(), seconds / 1e9, requestLatency,
                lastError.get());
    }

    private void runClient(LongFunction<Batch> batches, SinkFactory sinks, ProbeTracker probes) {
        Sink sink;
        try {
            sink = sinks.create();
        } catch (Exception e) {
            lastError.set("cannot open a client: " + e);
            return;
        }
        try {
            sendUntilEnd(sink, batches, probes);
        } finally {
            closeQuietly(sink);
        }
    }

    private void sendUntilEnd(Sink sink, LongFunction<Batch> batches, ProbeTracker probes) {
        while (true) {
            long ticket = tickets.getAndIncrement();
            long due = intervalNanos == 0 ? System.nanoTime() : startNanos + ticket * intervalNanos;
            if (due >= endNanos || System.nanoTime() >= endNanos) {
                return;
            }
            if (!sleepUntil(due)) {
                return;
            }
            send(sink, batches.apply(ticket), probes);
        }
    }

    private void send(Sink sink, Batch batch, ProbeTracker probes) {
        long sent = System.nanoTime();
        try {
            sink.accept(batch);
            long done = System.nanoTime();
            requestLatency.add(done - sent);
            accepted.addAndGet(batch.messages().size());
            if (batch.probeId() != null && probes != null) {
                probes.accepted(batch.probeId(), done);
            }
        } catch (Exception e) {
            failed.addAndGet(batch.messages().size());
            lastError.set(e.toString());
        } finally {
            requests.incrementAndGet();
        }
    }

    private void closeQuietly(Sink sink) {
        if (sink instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                lastError.compareAndSet(null, "cannot close a client: " + e);
            }
        }
    }

    private static boolean sleepUntil(long due) {
        long wait = due - System.nanoTime();
        try {
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
