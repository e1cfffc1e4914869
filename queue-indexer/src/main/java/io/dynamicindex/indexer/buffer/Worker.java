package io.dynamicindex.indexer.buffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread of a queue: takes a batch when it holds max-size items or when max-interval has passed since
 * the batch's first item, and hands it to the batch processor. Items of one document always reach the same worker,
 * so one worker applies them in arrival order. Its inbox is unbounded in code but bounded in fact: consumers'
 * prefetch limits how many deliveries are unacknowledged, and every item belongs to one.
 */
final class Worker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final String queue;
    private final BlockingQueue<WorkItem> inbox = new LinkedBlockingQueue<>();
    private final BatchProcessor processor;
    private final int maxSize;
    private final long maxIntervalNanos;
    private final Timer batchWait;
    private volatile boolean draining;

    Worker(String queue, BatchProcessor processor, int maxSize, Duration maxInterval, Timer batchWait) {
        this.batchWait = batchWait;
        this.queue = queue;
        this.processor = processor;
        this.maxSize = maxSize;
        this.maxIntervalNanos = maxInterval.toNanos();
    }

    void offer(WorkItem item) {
        inbox.add(item);
    }

    int size() {
        return inbox.size();
    }

    /** Finish what is buffered, then stop. */
    void drainAndStop() {
        draining = true;
    }

    @Override
    public void run() {
        try {
            while (!(draining && inbox.isEmpty())) {
                List<WorkItem> batch = nextBatch();
                if (!batch.isEmpty()) {
                    processor.process(batch);
                }
            }
        } catch (InterruptedException e) {
            LOG.info("{}: worker interrupted with {} buffered item(s); they will be redelivered", queue,
                    inbox.size());
            Thread.currentThread().interrupt();
        }
    }

    private List<WorkItem> nextBatch() throws InterruptedException {
        List<WorkItem> batch = new ArrayList<>(maxSize);
        WorkItem first = inbox.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        long started = System.nanoTime();
        long deadline = started + maxIntervalNanos;
        while (batch.size() < maxSize) {
            inbox.drainTo(batch, maxSize - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= maxSize || left <= 0 || draining) {
                break;
            }
            WorkItem next = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        batchWait.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return batch;
    }
}
