package io.dynamicindex.outbox.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import net.javacrumbs.shedlock.core.LockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.transaction.support.TransactionTemplate;

import io.dynamicindex.common.Backoff;

/**
 * The relay loop, on its own thread ({@code outbox-relay}). Each step takes or renews the lease; the holder then
 * publishes one batch in one repeatable-read transaction:
 * <ol>
 *   <li>lock the offset row ({@code FOR UPDATE NOWAIT}) and read the snapshot's bounds; stop unless the row names
 *       this instance as holder;</li>
 *   <li>read the rows that became visible inside pending gaps, then the rows above the offset, in id order;</li>
 *   <li>publish them with confirms ({@link RowPublisher});</li>
 *   <li>store the new offset ({@link OffsetBook}) and commit.</li>
 * </ol>
 * The row lock is the fence: an instance that takes over must first lock the row to write itself in as holder, so
 * it waits until the batch of the old holder ended, and every later batch of the old holder sees the new holder and
 * publishes nothing ({@link Fencing} covers a holder paused mid-batch). A failed batch stores nothing, so its rows
 * are published again after a back-off, in a smaller batch ({@link #publishBatch}), marked as possible duplicates;
 * so are the rows up to the highest id when an instance takes over from one that did not stop cleanly. A graceful
 * stop finishes the batch, marks the stop clean and releases the lease, so the next instance takes over at once and
 * marks nothing.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final long LAG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int CLEANUP_CHUNKS = 100;
    private static final int WARN_EVERY = 10;

    private final OutboxStore store;
    private final RowPublisher publisher;
    private final RelayLease lease;
    private final TransactionTemplate transactions;
    private final RelaySettings settings;
    private final Backoff backoff;
    private final RelayMeters meters;
    private final AtomicReference<RelayStatus> status;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private Thread thread;
    private boolean holder;
    private long duplicateThrough;
    private long inFlightThrough;
    private int failures;
    private int batchLimit;
    private long nextLag;
    private long nextCleanup;

    /**
     * @param locks        the lease's lock provider
     * @param transactions repeatable-read transactions, for the batches
     */
    public OutboxRelay(OutboxStore store, RowPublisher publisher, LockProvider locks, TransactionTemplate transactions,
                       RelaySettings settings, MeterRegistry registry) {
        this.store = store;
        this.publisher = publisher;
        this.lease = new RelayLease(locks, settings.lease());
        this.transactions = transactions;
        this.settings = settings;
        this.backoff = Backoff.withRandomJitter(settings.backoffInitial(), settings.backoffMax());
        this.batchLimit = settings.batchSize();
        this.status = new AtomicReference<>(RelayStatus.starting(settings.instance()));
        this.meters = new RelayMeters(registry, status);
    }

    public RelayStatus status() {
        return status.get();
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        stopping.countDown();
        try {
            thread.join(settings.fencing().idleInTransaction().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        LOG.info("outbox relay: instance {} started (batch {}, poll {}, lease {})", settings.instance(),
                settings.batchSize(), settings.pollInterval(), settings.lease());
        while (running) {
            pause(step());
        }
        finish();
    }

    /** One step: returns how long to wait before the next. */
    private long step() {
        try {
            refreshLagIfDue();
            if (!lease.hold()) {
                holder = false;
                return standBy("another instance holds the lease");
            }
            if (!holder) {
                takeOver();
            }
            int published = publishBatch();
            failures = 0;
            status.updateAndGet(s -> s.in(RelayState.PUBLISHING, null));
            cleanUpIfDue();
            return published == 0 ? settings.pollInterval().toMillis() : 0;
        } catch (ConcurrencyFailureException e) {
            LOG.debug("outbox relay: the offset row is locked by another instance's batch: {}", e.getMessage());
            return standBy("another instance is publishing a batch");
        } catch (NotHolderException e) {
            holder = false;
            lease.release();
            LOG.warn("outbox relay: {}; this instance stands by", e.getMessage());
            return standBy(e.getMessage());
        } catch (UnknownQueueException e) {
            return fail(RelayState.HALTED, e);
        } catch (RuntimeException e) {
            return fail(RelayState.BACKING_OFF, e);
        }
    }

    /**
     * Writes this instance into the offset row as holder. When the previous holder did not stop cleanly it may have
     * published rows beyond the offset, so every row up to the highest visible id is marked as a possible duplicate.
     */
    private void takeOver() {
        transactions.executeWithoutResult(tx -> {
            Claim claim = store.claim(settings.fencing().idleInTransaction());
            if (!settings.instance().equals(claim.holder())) {
                duplicateThrough = Math.max(duplicateThrough, claim.clean() ? 0 : store.maxId());
                store.takeOver(settings.instance());
                LOG.info("outbox relay: instance {} takes over from {} ({}) at offset {}", settings.instance(),
                        claim.holder(), claim.clean() ? "stopped cleanly"
                                : "not stopped cleanly: ids up to " + duplicateThrough + " are marked as possible"
                                + " duplicates", claim.offset().lastId());
            }
        });
        holder = true;
    }

    /**
     * Publishes one batch of at most {@link #batchLimit} rows. After a failed batch the next one is half as large,
     * down to one row; each batch that succeeds doubles it again, up to the batch size. So a full queue
     * ({@code reject-publish}) that accepts the head of a batch and refuses its tail gets a batch that fits as soon
     * as a consumer has made room for it; at full size every retry would fill the room with second copies of the
     * batch's head and fail again, and the relay would never get past a batch larger than the room a consumer frees
     * between two retries.
     */
    private int publishBatch() {
        inFlightThrough = 0;
        try {
            List<OutboxRow> rows = transactions.execute(tx -> claimPublishAndSave(System.nanoTime()
                    + settings.fencing().batchBudget().toNanos()));
            meters.published(rows, duplicateThrough);
            status.updateAndGet(s -> s.plusPublished(rows.size()));
            batchLimit = (int) Math.min(settings.batchSize(), 2L * batchLimit);
            return rows.size();
        } catch (RuntimeException e) {
            duplicateThrough = Math.max(duplicateThrough, inFlightThrough);
            batchLimit = Math.max(1, batchLimit / 2);
            throw e;
        }
    }

    private List<OutboxRow> claimPublishAndSave(long deadlineNanos) {
        Claim claim = store.claim(settings.fencing().idleInTransaction());
        if (!settings.instance().equals(claim.holder())) {
            throw new NotHolderException(claim.holder());
        }
        Offset before = claim.offset();
        int limit = batchLimit;
        List<OutboxRow> rows = new ArrayList<>(store.filledGaps(before.gaps(), limit));
        List<Long> filled = ids(rows);
        long scannedThrough = rows.size() == limit ? filled.get(limit - 1) : Long.MAX_VALUE;
        List<OutboxRow> fresh = rows.size() == limit ? List.of() : store.after(before.lastId(), limit - rows.size());
        rows.addAll(fresh);
        Offset after = OffsetBook.advance(before, claim.snapshot(), filled, scannedThrough, ids(fresh));
        if (LOG.isDebugEnabled() && !after.equals(before)) {
            LOG.debug("outbox relay: {} in {}: gap rows {}, new rows {}, offset now {}", before, claim.snapshot(),
                    filled, ids(fresh), after);
        }
        if (!rows.isEmpty()) {
            requireKnownQueues(rows);
            inFlightThrough = rows.get(rows.size() - 1).id();
            publisher.publish(rows, duplicateThrough, deadlineNanos);
        }
        if (!after.equals(before)) {
            store.save(after);
        }
        status.updateAndGet(s -> s.withOffset(after, settings.instance()));
        return rows;
    }

    private void requireKnownQueues(List<OutboxRow> rows) {
        for (OutboxRow row : rows) {
            if (!settings.queues().contains(row.queue())) {
                throw new UnknownQueueException(row);
            }
        }
    }

    private void refreshLagIfDue() {
        if (System.nanoTime() - nextLag < 0) {
            return;
        }
        nextLag = System.nanoTime() + LAG_EVERY_NANOS;
        store.lag().ifPresent(lag -> status.updateAndGet(s -> s.withOffset(lag.offset(), lag.holder())
                .withLag(lag.waiting(), lag.oldestSeconds())));
    }

    private void cleanUpIfDue() {
        if (System.nanoTime() - nextCleanup < 0) {
            return;
        }
        nextCleanup = System.nanoTime() + settings.cleanupInterval().toNanos();
        int deleted = 0;
        for (int chunk = 0; chunk < CLEANUP_CHUNKS; chunk++) {
            int rows = store.deletePublished(settings.retention(), settings.cleanupChunk());
            deleted += rows;
            if (rows < settings.cleanupChunk()) {
                break;
            }
        }
        if (deleted > 0) {
            LOG.info("outbox relay: deleted {} published row(s) older than {}", deleted, settings.retention());
        }
    }

    private long standBy(String reason) {
        status.updateAndGet(s -> s.in(RelayState.STANDBY, reason));
        return Math.max(settings.pollInterval().toMillis(), 1_000);
    }

    private long fail(RelayState state, RuntimeException e) {
        failures++;
        meters.failed();
        String reason = FailureReason.of(e);
        RelayStatus previous = status.getAndUpdate(s -> s.in(state, reason));
        if (previous.state() != state || failures % WARN_EVERY == 0) {
            LOG.warn("outbox relay: batch failed ({} in a row), nothing of it is marked published; retrying with "
                    + "back-off: {} ({})", failures, reason, e.getClass().getName());
        }
        return state == RelayState.HALTED ? backoff.ceilingMillis(Integer.MAX_VALUE)
                : backoff.delay(failures - 1).toMillis();
    }

    private void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * After the last batch: marks the stop clean when this instance holds the relay and nothing it published lies
     * beyond the stored offset (the last batch succeeded), and hands the lease over.
     */
    private void finish() {
        try {
            if (holder && failures == 0 && duplicateThrough <= status.get().lastId()
                    && store.stopCleanly(settings.instance())) {
                LOG.info("outbox relay: instance {} stopped cleanly at offset {}", settings.instance(),
                        status.get().lastId());
            }
            lease.release();
        } catch (RuntimeException e) {
            LOG.warn("outbox relay: could not hand over cleanly ({}); the next instance takes over when the lease "
                    + "runs out and marks possible duplicates", e.toString());
        }
        status.updateAndGet(s -> s.in(RelayState.STOPPED, null));
    }

    private static List<Long> ids(List<OutboxRow> rows) {
        return rows.stream().map(OutboxRow::id).toList();
    }

    /** The settings the loop needs, resolved once from the properties. */
    public record RelaySettings(String instance, Set<String> queues, int batchSize, Duration pollInterval,
                                Duration lease, Fencing fencing, Duration backoffInitial, Duration backoffMax,
                                Duration retention, Duration cleanupInterval, int cleanupChunk) {
    }
}
