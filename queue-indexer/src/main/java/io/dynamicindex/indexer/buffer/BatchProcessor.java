package io.dynamicindex.indexer.buffer;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dynamicindex.indexer.bulk.PhasedApplier;
import io.dynamicindex.indexer.consume.ChannelAcks;
import io.dynamicindex.indexer.bulk.PhasedApplier.Failure;
import io.dynamicindex.indexer.bulk.PhasedApplier.MessageOutcome;
import io.dynamicindex.indexer.deadletter.DeadLetter;
import io.dynamicindex.indexer.deadletter.DeadLetterStore;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.filter.FilterResult;
import io.dynamicindex.indexer.filter.MessageFilter;
import io.dynamicindex.indexer.filter.PartnerMessage;

/**
 * Processes one batch of a queue: dead-letters what cannot be parsed or what the filter rejects, applies the rest in
 * bulk phases, dead-letters permanent failures, and settles every item: acknowledged when applied, stale or safely
 * dead-lettered, requeued when its dead letter could not be stored. Shared by the queue's workers; holds no state.
 */
final class BatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);
    /** Pause before requeueing a message whose dead letter PostgreSQL did not take, so it does not spin. */
    private static final long DEAD_LETTER_RETRY_PAUSE_MILLIS = 1_000;

    private final String queue;
    private final MessageFilter filter;
    private final PhasedApplier applier;
    private final DeadLetterStore deadLetters;
    private final MeterRegistry meters;
    private final Counter applied;
    private final Counter stale;

    BatchProcessor(String queue, MessageFilter filter, PhasedApplier applier, DeadLetterStore deadLetters,
                   MeterRegistry meters) {
        this.queue = queue;
        this.filter = filter;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.applied = meters.counter("dynamicindex.indexer.applied", "queue", queue);
        this.stale = meters.counter("dynamicindex.indexer.stale", "queue", queue);
    }

    /** Processes the batch, then acknowledges what it settled, one multiple-ack per consumer channel. */
    void process(List<WorkItem> batch) throws InterruptedException {
        try {
            settleEach(batch);
        } finally {
            batch.stream().map(item -> item.delivery().acks()).distinct().forEach(ChannelAcks::flush);
        }
    }

    private void settleEach(List<WorkItem> batch) throws InterruptedException {
        List<WorkItem> parsed = new ArrayList<>(batch.size());
        for (WorkItem item : batch) {
            if (item.parseError() != null) {
                deadLetter(item, null, "malformed_json", item.parseError());
            } else {
                parsed.add(item);
            }
        }
        List<FilterResult> results = filter(parsed);
        if (results == null) {
            parsed.forEach(item -> item.done(false));
            return;
        }
        applyAccepted(parsed, results);
        meters.summary("dynamicindex.indexer.batch.size", "queue", queue).record(batch.size());
        LOG.debug("{}: batch of {} processed", queue, batch.size());
    }

    /** The filter's results, or null when the filter failed (the batch is then requeued, not dead-lettered). */
    private List<FilterResult> filter(List<WorkItem> parsed) {
        long started = System.nanoTime();
        try {
            List<FilterResult> results = filter.apply(parsed.stream()
                    .map(item -> new PartnerMessage(queue, item.body())).toList());
            if (results.size() != parsed.size()) {
                throw new IllegalStateException("filter returned " + results.size() + " results for "
                        + parsed.size() + " messages");
            }
            return results;
        } catch (RuntimeException e) {
            LOG.error("{}: filter failed on a batch of {}; the batch is requeued", queue, parsed.size(), e);
            return null;
        } finally {
            meters.timer("dynamicindex.indexer.filter", "queue", queue)
                    .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private void applyAccepted(List<WorkItem> parsed, List<FilterResult> results) throws InterruptedException {
        List<WorkItem> accepted = new ArrayList<>();
        List<List<IndexOperation>> operations = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            if (results.get(i) instanceof FilterResult.Accepted ok) {
                accepted.add(parsed.get(i));
                operations.add(ok.operations());
            } else if (results.get(i) instanceof FilterResult.Rejected rejected) {
                deadLetter(parsed.get(i), null, "rejected", rejected.reason());
            }
        }
        List<MessageOutcome> outcomes = applier.apply(operations);
        for (int i = 0; i < accepted.size(); i++) {
            settle(accepted.get(i), outcomes.get(i));
        }
    }

    private void settle(WorkItem item, MessageOutcome outcome) throws InterruptedException {
        if (outcome.stale() > 0) {
            stale.increment(outcome.stale());
        }
        if (outcome.failures().isEmpty()) {
            applied.increment();
            item.done(true);
            return;
        }
        Failure first = outcome.failures().get(0);
        deadLetter(item, first.operation(), first.outcome().errorType(), first.outcome().reason());
    }

    private void deadLetter(WorkItem item, IndexOperation operation, String errorType, String reason)
            throws InterruptedException {
        DeadLetter letter = new DeadLetter(queue, item.raw(),
                operation == null ? null : operation.phase() + " " + operation.key(),
                operation == null ? null : operation.key().index(),
                operation == null ? null : operation.key().id(), errorType, reason);
        boolean stored = deadLetters.write(letter);
        if (stored) {
            meters.counter("dynamicindex.indexer.dead_lettered", "queue", queue, "error_type", errorType).increment();
        } else {
            Thread.sleep(DEAD_LETTER_RETRY_PAUSE_MILLIS);
        }
        item.done(stored);
    }
}
