package io.dynamicindex.indexer.buffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dynamicindex.indexer.consume.ChannelAcks;
import io.dynamicindex.indexer.health.PipelineState;
import io.dynamicindex.indexer.health.QueueStatus;

/**
 * One worker thread of a queue: takes a batch when it holds max-size items or max-bytes of messages, or when
 * max-interval has passed since the batch's first item, and hands it to the batch processor. Items of one document
 * always reach the same worker, so one worker applies them in arrival order. Its inbox is unbounded in code but
 * bounded in fact: consumers' prefetch limits how many deliveries are unacknowledged, every item belongs to one, and
 * the items of a closed channel are discarded before its redeliveries arrive.
 *
 * <p>The worker supervises itself: a batch that fails with anything but an interrupt gives its deliveries back to
 * the broker by closing their channels (which requeues them in queue order), frees its documents, reports the
 * failure and goes on with the next batch. The thread only ends on stop or interrupt.
 */
final class Worker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);

    /** When a batch is taken. */
    record Limits(int maxSize, long maxBytes, Duration maxInterval) {
    }

    private final String queue;
    private final BlockingQueue<WorkItem> inbox = new LinkedBlockingQueue<>();
    private final BatchProcessor processor;
    private final Limits limits;
    private final Timer batchWait;
    private final QueueStatus status;
    private final Counter failures;
    private volatile boolean draining;

    Worker(String queue, BatchProcessor processor, Limits limits, Timer batchWait, QueueStatus status,
           Counter failures) {
        this.queue = queue;
        this.processor = processor;
        this.limits = limits;
        this.batchWait = batchWait;
        this.status = status;
        this.failures = failures;
    }

    void offer(WorkItem item) {
        inbox.add(item);
    }

    int size() {
        return inbox.size();
    }

    /** Drops every buffered item of a closed channel, freeing its documents; returns how many. */
    int discard(ChannelAcks closed) {
        List<WorkItem> dropped = new ArrayList<>();
        inbox.removeIf(item -> item.delivery().acks() == closed && dropped.add(item));
        dropped.forEach(WorkItem::release);
        return dropped.size();
    }

    /** Finish what is buffered, then stop. */
    void drainAndStop() {
        draining = true;
    }

    @Override
    public void run() {
        while (!(draining && inbox.isEmpty())) {
            List<WorkItem> batch = List.of();
            try {
                batch = nextBatch();
                if (!batch.isEmpty()) {
                    processor.process(batch);
                }
            } catch (InterruptedException e) {
                LOG.info("{}: worker interrupted with {} buffered item(s); they will be redelivered", queue,
                        inbox.size());
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                if (!recover(batch, e)) {
                    return;
                }
            }
        }
    }

    /** Gives the failed batch back to the broker and pauses; false when interrupted meanwhile. */
    private boolean recover(List<WorkItem> batch, Throwable failure) {
        failures.increment();
        String source = Thread.currentThread().getName();
        LOG.error("{}: {} failed on a batch of {} item(s); closing their channels so the broker redelivers them in "
                + "order, then going on", queue, source, batch.size(), failure);
        status.report(source, PipelineState.BACKING_OFF, "a batch failed unexpectedly: " + failure);
        batch.stream().map(item -> item.delivery().acks()).distinct()
                .forEach(acks -> acks.recycle("a worker failed: " + failure));
        batch.forEach(WorkItem::release);
        try {
            Thread.sleep(PAUSE_AFTER_FAILURE.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            status.clear(source);
        }
    }

    private List<WorkItem> nextBatch() throws InterruptedException {
        List<WorkItem> batch = new ArrayList<>(limits.maxSize());
        WorkItem first = inbox.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        long bytes = first.raw().length;
        long started = System.nanoTime();
        long deadline = started + limits.maxInterval().toNanos();
        while (batch.size() < limits.maxSize() && bytes < limits.maxBytes()) {
            WorkItem next = inbox.poll();
            long left = deadline - System.nanoTime();
            if (next == null && left > 0 && !draining) {
                next = inbox.poll(left, TimeUnit.NANOSECONDS);
            }
            if (next == null) {
                break;
            }
            batch.add(next);
            bytes += next.raw().length;
        }
        batchWait.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return batch;
    }
}
