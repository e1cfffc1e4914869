package io.dynamicindex.indexer.buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dynamicindex.indexer.archive.ArchiveWriter;
import io.dynamicindex.indexer.bulk.ItemOutcome;
import io.dynamicindex.indexer.bulk.PhasedApplier;
import io.dynamicindex.indexer.bulk.PhasedApplier.Failure;
import io.dynamicindex.indexer.bulk.PhasedApplier.MessageOutcome;
import io.dynamicindex.indexer.bulk.RetryPolicy;
import io.dynamicindex.indexer.consume.ChannelAcks;
import io.dynamicindex.indexer.deadletter.DeadLetter;
import io.dynamicindex.indexer.deadletter.DeadLetterStore;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.filter.ChangeGuard;
import io.dynamicindex.indexer.filter.FilterResult;
import io.dynamicindex.indexer.filter.MessageFilter;
import io.dynamicindex.indexer.filter.PartnerMessage;
import io.dynamicindex.indexer.health.QueueStatus;

/**
 * Processes one batch of a queue and settles every item: applied, stale or dropped items at once (once the archive
 * has them too, when the queue has one), dead letters (what cannot be parsed, what the filter rejects, what the
 * queue's guard refuses, what Elasticsearch refuses for good) once PostgreSQL has stored them all. A failing filter,
 * archive or dead-letter store holds the whole batch in place and retries it with the queue's back-off,
 * so a later change to a document can never overtake an earlier one. Items whose channel closed meanwhile are left
 * to their redelivery. Shared by the queue's workers; holds no state between batches.
 */
final class BatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

    private final String queue;
    private final String filterName;
    private final MessageFilter filter;
    private final ChangeGuard guard;
    private final PhasedApplier applier;
    private final DeadLetterStore deadLetters;
    private final ArchiveWriter archive;
    private final RetryPolicy retry;
    private final QueueStatus status;
    private final MeterRegistry meters;
    private final Counter applied;
    private final Counter stale;

    /** A dead letter waiting to be stored, with the item it settles. */
    private record PendingLetter(WorkItem item, DeadLetter letter) {
    }

    /** @param archive the queue's archive, or null when it has none */
    BatchProcessor(String queue, String filterName, MessageFilter filter, ChangeGuard guard, PhasedApplier applier,
                   DeadLetterStore deadLetters, ArchiveWriter archive, RetryPolicy retry, QueueStatus status,
                   MeterRegistry meters) {
        this.queue = queue;
        this.filterName = filterName;
        this.filter = filter;
        this.guard = guard;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.archive = archive;
        this.retry = retry;
        this.status = status;
        this.meters = meters;
        this.applied = meters.counter("dynamicindex.indexer.applied", "queue", queue);
        this.stale = meters.counter("dynamicindex.indexer.stale", "queue", queue);
    }

    /** Processes the batch, then acknowledges what it settled, one multiple-ack per consumer channel. */
    void process(List<WorkItem> batch) throws InterruptedException {
        try {
            settle(live(new ArrayList<>(batch)));
        } finally {
            batch.stream().map(item -> item.delivery().acks()).distinct().forEach(ChannelAcks::flush);
        }
    }

    private void settle(List<WorkItem> batch) throws InterruptedException {
        List<PendingLetter> letters = new ArrayList<>();
        List<WorkItem> parsed = new ArrayList<>(batch.size());
        for (WorkItem item : batch) {
            if (item.parseError() != null) {
                letters.add(letter(item, null, "malformed_json", item.parseError()));
            } else {
                parsed.add(item);
            }
        }
        List<FilterResult> results = filtered(parsed);
        List<WorkItem> accepted = new ArrayList<>();
        List<List<IndexOperation>> operations = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            if (results.get(i) instanceof FilterResult.Accepted ok) {
                if (!refused(parsed.get(i), ok.operations(), letters)
                        && (archive == null || !unstorable(parsed.get(i), ok.operations(), letters))) {
                    accepted.add(parsed.get(i));
                    operations.add(ok.operations());
                }
            } else if (results.get(i) instanceof FilterResult.Rejected rejected) {
                letters.add(letter(parsed.get(i), null, "rejected", rejected.reason()));
            }
        }
        List<MessageOutcome> outcomes = archive == null ? applier.apply(operations)
                : archived(accepted, operations);
        for (int i = 0; i < accepted.size(); i++) {
            settleApplied(accepted.get(i), outcomes.get(i), letters);
        }
        store(letters);
        meters.summary("dynamicindex.indexer.batch.size", "queue", queue).record(batch.size());
        LOG.debug("{}: batch of {} processed", queue, batch.size());
    }

    /**
     * The filter's results for the parsed items, one per item, retried with back-off while the filter fails; items
     * whose channel closes meanwhile are dropped from the list first.
     */
    private List<FilterResult> filtered(List<WorkItem> parsed) throws InterruptedException {
        return retry.untilDone("filter " + filterName, status, () -> {
            live(parsed);
            long started = System.nanoTime();
            try {
                List<FilterResult> results = filter.apply(parsed.stream()
                        .map(item -> new PartnerMessage(queue, item.body())).toList());
                if (results.size() != parsed.size()) {
                    throw new IllegalStateException("filter returned " + results.size() + " results for "
                            + parsed.size() + " messages");
                }
                return results;
            } finally {
                meters.timer("dynamicindex.indexer.filter", "queue", queue)
                        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        });
    }

    /**
     * Sends the bulks and writes the archive as one unit, retried as a whole with back-off while PostgreSQL fails;
     * before each attempt, items whose channel closed are dropped with their operations.
     */
    private List<MessageOutcome> archived(List<WorkItem> accepted, List<List<IndexOperation>> operations)
            throws InterruptedException {
        return retry.untilDone("archive (PostgreSQL)", status, () -> {
            for (int i = accepted.size() - 1; i >= 0; i--) {
                if (!accepted.get(i).live()) {
                    accepted.remove(i).release();
                    operations.remove(i);
                }
            }
            return archive.applyAndArchive(operations, applier::apply);
        });
    }

    /**
     * Whether the queue's guard refuses the change (an index outside the allow-list, too many delete targets), so
     * that none of its operations is applied; the letter is added when so.
     */
    private boolean refused(WorkItem item, List<IndexOperation> operations, List<PendingLetter> letters) {
        ChangeGuard.Refusal refusal = guard.check(operations);
        if (refusal == null) {
            return false;
        }
        letters.add(letter(item, refusal.operation(), refusal.errorType(), refusal.reason()));
        return true;
    }

    /**
     * Whether the archived queue must dead-letter the message, before any of it reaches Elasticsearch, because the
     * archive cannot store one of its operations; the letter is added when so.
     */
    private boolean unstorable(WorkItem item, List<IndexOperation> operations, List<PendingLetter> letters) {
        for (IndexOperation operation : operations) {
            String reason = ArchiveWriter.unstorable(operation);
            if (reason != null) {
                letters.add(letter(item, operation, "archive_unstorable", reason));
                return true;
            }
        }
        return false;
    }

    private void settleApplied(WorkItem item, MessageOutcome outcome, List<PendingLetter> letters) {
        if (!outcome.stale().isEmpty()) {
            stale.increment(outcome.stale().size());
        }
        for (Failure failure : outcome.failures()) {
            if (failure.outcome().status() == ItemOutcome.Status.DEAD_LETTER) {
                letters.add(letter(item, failure.operation(), failure.outcome().errorType(),
                        failure.outcome().reason()));
                return;
            }
        }
        for (Failure failure : outcome.failures()) {
            meters.counter("dynamicindex.indexer.dropped", "queue", queue, "error_type",
                    failure.outcome().errorType()).increment();
            LOG.warn("{}: dropped {} {} as the error policy says ({}: {})", queue, failure.operation().phase(),
                    failure.operation().key(), failure.outcome().errorType(), failure.outcome().reason());
        }
        if (outcome.failures().isEmpty()) {
            applied.increment();
        }
        item.done();
    }

    /** Stores the batch's dead letters in one go, retrying while PostgreSQL fails, then settles their items. */
    private void store(List<PendingLetter> letters) throws InterruptedException {
        if (letters.isEmpty()) {
            return;
        }
        List<DeadLetter> rows = letters.stream().map(PendingLetter::letter).toList();
        retry.untilDone("dead-letter store (PostgreSQL)", status, () -> {
            deadLetters.write(rows);
            return rows.size();
        });
        for (PendingLetter pending : letters) {
            meters.counter("dynamicindex.indexer.dead_lettered", "queue", queue, "error_type",
                    pending.letter().errorType()).increment();
            pending.item().done();
        }
    }

    private PendingLetter letter(WorkItem item, IndexOperation operation, String errorType, String reason) {
        return new PendingLetter(item, new DeadLetter(queue, item.raw(),
                operation == null ? null : operation.phase() + " " + operation.key(),
                operation == null ? null : operation.key().index(),
                operation == null ? null : operation.key().id(), errorType, reason));
    }

    /** Removes, and frees the documents of, items whose channel closed: their redeliveries replace them. */
    private static List<WorkItem> live(List<WorkItem> items) {
        items.removeIf(item -> {
            if (item.live()) {
                return false;
            }
            item.release();
            return true;
        });
        return items;
    }
}
