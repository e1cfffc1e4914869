package io.dynamicindex.management.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;

/**
 * Stores audit events from a bounded queue on one thread of its own ({@code management-audit-writer}), so that the
 * request that caused an event never waits on the store, and a flood of refused requests holds at most one database
 * connection. A full queue drops the event and counts it ({@code dynamicindex.management.audit.dropped} with
 * {@code reason=queue_full}, a WARN at most once a minute); an event the store refuses (the database down, a statement
 * timeout) is logged at ERROR, whole, and counted with {@code reason=store_failed}. {@link #close()} stores what is
 * queued, waiting at most five seconds.
 */
public final class QueuedAuditStore implements AuditEventRepository, AutoCloseable {

    static final String DROPPED = "dynamicindex.management.audit.dropped";

    private static final Logger LOG = LoggerFactory.getLogger(QueuedAuditStore.class);
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);
    private static final int BATCH = 100;

    private final AuditEventRepository store;
    private final BlockingQueue<AuditEvent> queue;
    private final Counter dropped;
    private final Counter storeFailed;
    private final AtomicLong lastWarning = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;

    public QueuedAuditStore(AuditEventRepository store, int capacity, MeterRegistry meters) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dropped = Counter.builder(DROPPED).tag("reason", "queue_full")
                .description("audit events not stored: the audit queue was full").register(meters);
        this.storeFailed = Counter.builder(DROPPED).tag("reason", "store_failed")
                .description("audit events not stored: the store refused them (each is in the ERROR log)")
                .register(meters);
        Gauge.builder("dynamicindex.management.audit.queued", queue, BlockingQueue::size)
                .description("audit events waiting to be stored").register(meters);
        this.writer = new Thread(this::writeUntilClosed, "management-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void add(AuditEvent event) {
        if (closing || !queue.offer(event)) {
            dropped.increment();
            warnThrottled(event);
        }
    }

    @Override
    public List<AuditEvent> find(String principal, Instant after, String type) {
        return store.find(principal, after, type);
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        writer.join(5_000);
        writer.interrupt();
        if (!queue.isEmpty()) {
            LOG.warn("{} audit event(s) not stored at shutdown: {}", queue.size(), queue);
        }
    }

    private void writeUntilClosed() {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        while (!(closing && queue.isEmpty())) {
            try {
                AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    batch.forEach(this::store);
                    batch.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void store(AuditEvent event) {
        try {
            store.add(event);
        } catch (RuntimeException e) {
            storeFailed.increment();
            LOG.error("the audit store refused this event, kept in this log only: {} {} {} {}: {}",
                    event.getTimestamp(), event.getPrincipal(), event.getType(), event.getData(), e.toString());
        }
    }

    private void warnThrottled(AuditEvent event) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if ((last == 0 || now - last >= WARN_EVERY.toNanos()) && lastWarning.compareAndSet(last, now)) {
            LOG.warn("the audit queue is full: dropped {} {} event ({} dropped since start; "
                    + "dynamic-index.management.audit.queue-capacity sets its size)", event.getPrincipal(),
                    event.getType(), (long) dropped.count());
        }
    }
}
