package io.dynamicindex.indexer.bulk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;

/**
 * Applies the operations of a batch of messages as up to five bulks: prev-delete, index, update, delete,
 * trigger-delete. Phasing reorders operations, which is only safe between different documents; so the batch is cut
 * into rounds, and a message starts a new round when it touches a document that an earlier message of the current
 * round touched. Within one message the phase order is the message's own order (prev-deletes, action,
 * trigger-deletes), so a round applies exactly what applying its messages one at a time would.
 */
public final class PhasedApplier {

    /** What happened to one message: its failures to dead-letter or drop (none means applied) and its stale
     *  operations. */
    public record MessageOutcome(List<Failure> failures, int stale) {
    }

    /** An operation that was not applied and will not be retried: dead-letter or drop. */
    public record Failure(IndexOperation operation, ItemOutcome outcome) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PhasedApplier.class);

    private final BulkSender sender;
    private final long slowBatchNanos;

    /** @param slowBatch a batch slower than this is logged at WARN with its per-phase times */
    public PhasedApplier(BulkSender sender, Duration slowBatch) {
        this.sender = sender;
        this.slowBatchNanos = slowBatch.toNanos();
    }

    /** operationsPerMessage in message order; returns one outcome per message, in the same order. */
    public List<MessageOutcome> apply(List<List<IndexOperation>> operationsPerMessage) throws InterruptedException {
        List<List<Failure>> failures = new ArrayList<>();
        int[] stale = new int[operationsPerMessage.size()];
        operationsPerMessage.forEach(m -> failures.add(new ArrayList<>()));
        long[] phaseNanos = new long[Phase.values().length];
        long started = System.nanoTime();
        for (List<Integer> round : rounds(operationsPerMessage)) {
            applyRound(round, operationsPerMessage, failures, stale, phaseNanos);
        }
        logIfSlow(operationsPerMessage.size(), System.nanoTime() - started, phaseNanos);
        List<MessageOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < operationsPerMessage.size(); i++) {
            outcomes.add(new MessageOutcome(failures.get(i), stale[i]));
        }
        return outcomes;
    }

    static List<List<Integer>> rounds(List<List<IndexOperation>> operationsPerMessage) {
        List<List<Integer>> rounds = new ArrayList<>();
        List<Integer> round = new ArrayList<>();
        Set<DocumentKey> touched = new HashSet<>();
        for (int message = 0; message < operationsPerMessage.size(); message++) {
            Set<DocumentKey> keys = new HashSet<>();
            operationsPerMessage.get(message).forEach(operation -> keys.add(operation.key()));
            if (keys.stream().anyMatch(touched::contains)) {
                rounds.add(round);
                round = new ArrayList<>();
                touched.clear();
            }
            round.add(message);
            touched.addAll(keys);
        }
        if (!round.isEmpty()) {
            rounds.add(round);
        }
        return rounds;
    }

    private void logIfSlow(int messages, long elapsedNanos, long[] phaseNanos) {
        if (elapsedNanos <= slowBatchNanos) {
            return;
        }
        StringBuilder phases = new StringBuilder();
        for (Phase phase : Phase.values()) {
            phases.append(' ').append(phase).append('=').append(phaseNanos[phase.ordinal()] / 1_000_000).append("ms");
        }
        LOG.warn("{}: slow batch of {} message(s) took {} ms:{}", sender.queue(), messages,
                elapsedNanos / 1_000_000, phases);
    }

    private void applyRound(List<Integer> round, List<List<IndexOperation>> operationsPerMessage,
                            List<List<Failure>> failures, int[] stale, long[] phaseNanos)
            throws InterruptedException {
        Map<Phase, List<IndexOperation>> operations = new EnumMap<>(Phase.class);
        Map<Phase, List<Integer>> owners = new EnumMap<>(Phase.class);
        for (int message : round) {
            for (IndexOperation operation : operationsPerMessage.get(message)) {
                operations.computeIfAbsent(operation.phase(), p -> new ArrayList<>()).add(operation);
                owners.computeIfAbsent(operation.phase(), p -> new ArrayList<>()).add(message);
            }
        }
        for (Phase phase : Phase.values()) {
            List<IndexOperation> phaseOperations = operations.get(phase);
            if (phaseOperations == null) {
                continue;
            }
            long phaseStarted = System.nanoTime();
            List<ItemOutcome> outcomes = sender.apply(phase, phaseOperations);
            phaseNanos[phase.ordinal()] += System.nanoTime() - phaseStarted;
            for (int i = 0; i < outcomes.size(); i++) {
                int owner = owners.get(phase).get(i);
                if (outcomes.get(i).isFailure()) {
                    failures.get(owner).add(new Failure(phaseOperations.get(i), outcomes.get(i)));
                } else if (outcomes.get(i).status() == ItemOutcome.Status.STALE) {
                    stale[owner]++;
                }
            }
        }
    }
}
