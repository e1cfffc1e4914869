package io.dynamicindex.outbox.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import io.dynamicindex.common.IndexAllowList;

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
 *
 * <p>While RabbitMQ blocks the connection (a resource alarm, {@link BrokerBlock}) the holder keeps renewing the lease
 * but starts no batch: it shows {@code BACKING_OFF} with the broker's reason. The lag shown on every instance is
 * refreshed apart from the step, so a slow or failing lag query never fails publishing. Cleanup is bounded per step
 * and renews the lease between its chunks. Anything the thread cannot handle (an {@link Error}) halts the relay
 * visibly ({@code HALTED}, health DOWN, logged at ERROR) instead of ending the thread silently.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final long LAG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int CLEANUP_CHUNKS = 100;
    private static final long BLOCKED_WAIT_MILLIS = 250;
    private static final int WARN_EVERY = 10;

    private final OutboxStore store;
    private final RowPublisher publisher;
    private final RelayLease lease;
    private final TransactionTemplate transactions;
    private final RelaySettings settings;
    private final RowRules rules;
    private final Backoff backoff;
    private final RelayMeters meters;
    private final AtomicReference<RelayStatus> status;
    private final BrokerBlock block;
    /** Counted down by {@link #stop()}; a new one for each {@link #start()}, so a restarted relay waits again. */
    private volatile CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private Thread thread;
    private boolean holder;
    private long duplicateThrough;
    private long inFlightThrough;
    private int failures;
    private int batchLimit;
    /** The last value of {@code outbox_id_seq} last read: ids up to it (plus the margin) need no query. */
    private long sequenceSeen;
    /** The row beyond the sequence that the last batch stopped below, or null. */
    private IdBeyondSequenceException haltedAt;
    /** The id of the row the relay last halted at (logged and counted once), or 0. */
    private long haltedAtId;
    private int haltRetries;
    private long nextLag;
    private long nextCleanup;
    private boolean lagFailing;

    /**
     * @param locks        the lease's lock provider
     * @param transactions repeatable-read transactions, for the batches
     * @param block        whether the broker blocks the publishing connection
     */
    public OutboxRelay(OutboxStore store, RowPublisher publisher, LockProvider locks, TransactionTemplate transactions,
                       RelaySettings settings, MeterRegistry registry, BrokerBlock block) {
        this.store = store;
        this.publisher = publisher;
        this.lease = new RelayLease(locks, settings.lease());
        this.transactions = transactions;
        this.settings = settings;
        this.rules = new RowRules(settings.queues(), settings.maxMessageSize());
        this.backoff = Backoff.withRandomJitter(settings.backoffInitial(), settings.backoffMax());
        this.batchLimit = settings.batchSize();
        this.status = new AtomicReference<>(RelayStatus.starting(settings.instance()));
        this.meters = new RelayMeters(registry, status);
        this.block = block;
    }

    public RelayStatus status() {
        return status.get();
    }

    /** The outbox's SQL, for the management API's reads and re-queues of rejected rows. */
    public OutboxStore store() {
        return store;
    }

    @Override
    public synchronized void start() {
        stopping = new CountDownLatch(1);
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

    /**
     * The thread's loop. Whatever escapes a step (an {@link Error}: out of memory, a linkage error) halts the relay:
     * state {@code HALTED} with the reason, health DOWN, logged at ERROR; the lease is handed over (the stop is not
     * marked clean, so the next holder marks what this one may have published) and the thread ends.
     */
    private void run() {
        LOG.info("outbox relay: instance {} started (batch {}, poll {}, lease {})", settings.instance(),
                settings.batchSize(), settings.pollInterval(), settings.lease());
        try {
            while (running) {
                refreshLagIfDue();
                pause(step());
            }
            finish(RelayState.STOPPED, null);
        } catch (Throwable e) {
            LOG.error("outbox relay: the relay thread failed and has stopped publishing; restart the relay", e);
            failures++;
            duplicateThrough = Math.max(duplicateThrough, inFlightThrough);
            finish(RelayState.HALTED, "the relay thread failed: " + e);
        }
    }

    /** One step: returns how long to wait before the next. */
    private long step() {
        try {
            if (!lease.hold()) {
                holder = false;
                return standBy("another instance holds the lease");
            }
            if (!holder) {
                takeOver();
            }
            Optional<String> blocked = block.current();
            if (blocked.isPresent()) {
                status.updateAndGet(s -> s.in(RelayState.BACKING_OFF, "RabbitMQ: "
                        + BrokerBlock.describe(blocked.get())));
                return BLOCKED_WAIT_MILLIS;
            }
            int published = publishBatch();
            failures = 0;
            if (haltedAt != null) {
                return halt(haltedAt);
            }
            haltedAtId = 0;
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
        } catch (IdBeyondSequenceException e) {
            return halt(e);
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
            Batch batch = transactions.execute(tx -> claimPublishAndSave(System.nanoTime()
                    + settings.fencing().batchBudget().toNanos()));
            List<OutboxRow> rows = batch.rows();
            meters.published(rows, batch.rejections(), duplicateThrough);
            reportRejections(batch.rejections());
            int published = rows.size() - batch.rejections().size();
            status.updateAndGet(s -> s.withOffset(batch.offset(), settings.instance()).plusPublished(published)
                    .plusRejected(batch.rejections().size()));
            batchLimit = (int) Math.min(settings.batchSize(), 2L * batchLimit);
            return rows.size();
        } catch (RuntimeException e) {
            duplicateThrough = Math.max(duplicateThrough, inFlightThrough);
            batchLimit = Math.max(1, batchLimit / 2);
            throw e;
        }
    }

    private static void reportRejections(List<OutboxStore.Rejection> rejections) {
        for (OutboxStore.Rejection rejection : rejections) {
            LOG.warn("outbox relay: queue {}: outbox row {} moved to outbox_rejected, the rows after it go on: {}; "
                    + "fix it and re-queue it (POST /api/v1/rejected/{}/requeue)", rejection.row().queue(),
                    rejection.row().id(), rejection.reason(), rejection.row().id());
        }
    }

    /** What a committed batch read (published or rejected), what it rejected, and the offset it stored. */
    private record Batch(List<OutboxRow> rows, List<OutboxStore.Rejection> rejections, Offset offset) {
    }

    private Batch claimPublishAndSave(long deadlineNanos) {
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
        fresh = belowAnIdBeyondTheSequence(fresh, rows.isEmpty());
        rows.addAll(fresh);
        Offset after = OffsetBook.advance(before, claim.snapshot(), filled, scannedThrough, ids(fresh));
        if (LOG.isDebugEnabled() && !after.equals(before)) {
            LOG.debug("outbox relay: {} in {}: gap rows {}, new rows {}, offset now {}", before, claim.snapshot(),
                    filled, ids(fresh), after);
        }
        List<OutboxStore.Rejection> rejections = List.of();
        if (!rows.isEmpty()) {
            rejections = rules.rejections(rows);
            List<OutboxRow> publishable = publishable(rows, rejections);
            inFlightThrough = rows.get(rows.size() - 1).id();
            publisher.publish(publishable, duplicateThrough, deadlineNanos);
            store.reject(rejections);
        }
        if (!after.equals(before)) {
            store.save(after);
        }
        return new Batch(rows, rejections, after);
    }

    /**
     * The new rows up to the first whose id lies beyond the sequence's last value by more than the margin: the batch
     * publishes those below it, and the relay halts when that row comes first. The sequence is read only when the
     * batch's highest id exceeds the value last read plus the margin, so a batch of ids the id default handed out
     * costs no query.
     *
     * @param nothingElse the batch holds no gap rows
     */
    private List<OutboxRow> belowAnIdBeyondTheSequence(List<OutboxRow> fresh, boolean nothingElse) {
        haltedAt = null;
        if (fresh.isEmpty() || fresh.get(fresh.size() - 1).id() <= sequenceSeen + settings.maxIdAhead()) {
            return fresh;
        }
        sequenceSeen = store.sequenceLastValue();
        for (int i = 0; i < fresh.size(); i++) {
            if (fresh.get(i).id() > sequenceSeen + settings.maxIdAhead()) {
                IdBeyondSequenceException beyond = new IdBeyondSequenceException(fresh.get(i), sequenceSeen,
                        settings.maxIdAhead());
                if (i == 0 && nothingElse) {
                    throw beyond;
                }
                haltedAt = beyond;
                return fresh.subList(0, i);
            }
        }
        return fresh;
    }

    private static List<OutboxRow> publishable(List<OutboxRow> rows, List<OutboxStore.Rejection> rejections) {
        if (rejections.isEmpty()) {
            return rows;
        }
        Set<Long> rejected = new HashSet<>();
        rejections.forEach(r -> rejected.add(r.row().id()));
        return rows.stream().filter(row -> !rejected.contains(row.id())).toList();
    }

    /**
     * Refreshes the stored offset, holder and lag shown in the status every 5 s, on every instance, outside the
     * publishing step: a lag query that fails or times out is logged (WARN when it starts failing, DEBUG while it
     * goes on), counted in {@code dynamicindex.outbox.lag.failures}, and leaves the last values shown; it never
     * changes the relay's state or its failure count.
     */
    private void refreshLagIfDue() {
        if (System.nanoTime() - nextLag < 0) {
            return;
        }
        nextLag = System.nanoTime() + LAG_EVERY_NANOS;
        try {
            store.lag().ifPresent(lag -> status.updateAndGet(s -> s.withOffset(lag.offset(), lag.holder())
                    .withLag(lag.waiting(), lag.oldestSeconds(), lag.rejected())));
            if (lagFailing) {
                LOG.info("outbox relay: the lag can be read again");
            }
            lagFailing = false;
        } catch (RuntimeException e) {
            meters.lagFailed();
            if (!lagFailing) {
                LOG.warn("outbox relay: could not read the lag; the last values stay shown: {}", FailureReason.of(e));
            } else {
                LOG.debug("outbox relay: could not read the lag: {}", e.toString());
            }
            lagFailing = true;
        }
    }

    /**
     * Deletes published rows past the retention, in chunks, lowest ids first. A run stops after 100 chunks, after a
     * third of the lease (the rest waits for the next interval's run), when the relay is stopping, or when the lease
     * is no longer held: the lease is renewed between chunks, so a long cleanup never outlives it. A failed chunk
     * (a statement timeout) ends the run with a WARN; it fails neither the step nor a graceful stop's clean mark,
     * since the batch before it was committed.
     */
    private void cleanUpIfDue() {
        if (System.nanoTime() - nextCleanup < 0) {
            return;
        }
        long started = System.nanoTime();
        nextCleanup = started + settings.cleanupInterval().toNanos();
        long budgetNanos = settings.lease().toNanos() / 3;
        int deleted = 0;
        try {
            for (int chunk = 0; chunk < CLEANUP_CHUNKS && running && lease.hold(); chunk++) {
                int rows = store.deletePublished(settings.retention(), settings.cleanupChunk());
                deleted += rows;
                if (rows < settings.cleanupChunk()) {
                    break;
                }
                if (System.nanoTime() - started >= budgetNanos) {
                    nextCleanup = System.nanoTime();
                    LOG.debug("outbox relay: cleanup paused after a third of the lease; it goes on next step");
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("outbox relay: cleanup failed, retried at the next interval (publishing goes on): {}",
                    FailureReason.of(e));
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
        return backoff.delay(failures - 1).toMillis();
    }

    /**
     * Halts at a row that must not be published (after a batch that published the rows below it, if any): one ERROR
     * and {@code dynamicindex.outbox.halts} per row halted at, then a WARN every tenth retry.
     */
    private long halt(IdBeyondSequenceException e) {
        status.updateAndGet(s -> s.in(RelayState.HALTED, e.getMessage()));
        if (haltedAtId != e.rowId()) {
            haltedAtId = e.rowId();
            haltRetries = 0;
            meters.halted("id_beyond_sequence");
            LOG.error("outbox relay: halted: {}", e.getMessage());
        } else if (++haltRetries % WARN_EVERY == 0) {
            LOG.warn("outbox relay: still halted ({} retries): {}", haltRetries, e.getMessage());
        }
        return backoff.ceilingMillis(Integer.MAX_VALUE);
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
     * beyond the stored offset (the last batch succeeded), hands the lease over, and shows the final state.
     */
    private void finish(RelayState last, String reason) {
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
        status.updateAndGet(s -> s.in(last, reason));
    }

    private static List<Long> ids(List<OutboxRow> rows) {
        return rows.stream().map(OutboxRow::id).toList();
    }

    /**
     * The settings the loop needs, resolved once from the properties.
     *
     * @param queues the queues rows may name, each with the indices its rows may name
     */
    public record RelaySettings(String instance, Map<String, IndexAllowList> queues, int batchSize,
                                Duration pollInterval, Duration lease, Fencing fencing, Duration backoffInitial,
                                Duration backoffMax, Duration retention, Duration cleanupInterval, int cleanupChunk,
                                long maxMessageSize, long maxIdAhead) {
    }
}
