package io.dynamicindex.indexer.bulk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
 * trigger-deletes), so a round applies exactly what applying its messages one at a time would. With coalescing on,
 * the consecutive single changes to one document are first folded into one operation ({@link Coalescer}), so a hot
 * document neither repeats in the bulk nor cuts the batch into extra rounds.
 */
public final class PhasedApplier {

    /**
     * What happened to one message: its failures to dead-letter or drop (none means applied), its stale operations,
     * which Elasticsearch refused as older than the version it holds, and the {@code _version} Elasticsearch answered
     * for its applied operations (an identity map; an operation folded into a later message's has none, the later
     * one has the version after both).
     */
    public record MessageOutcome(List<Failure> failures, List<Failure> stale, Map<IndexOperation, Long> versions) {

        /** An outcome without versions. */
        public MessageOutcome(List<Failure> failures, List<Failure> stale) {
            this(failures, stale, Map.of());
        }
    }

    /** An operation that was not applied and will not be retried: dead-letter, drop, or stale. */
    public record Failure(IndexOperation operation, ItemOutcome outcome) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PhasedApplier.class);

    private final BulkSender sender;
    private final long slowBatchNanos;
    private final boolean coalesce;

    /** @param slowBatch a batch slower than this is logged at WARN with its per-phase times */
    public PhasedApplier(BulkSender sender, Duration slowBatch) {
        this(sender, slowBatch, true);
    }

    /** @param coalesce whether consecutive changes to one document fold into one item ({@link Coalescer}) */
    public PhasedApplier(BulkSender sender, Duration slowBatch, boolean coalesce) {
        this.sender = sender;
        this.slowBatchNanos = slowBatch.toNanos();
        this.coalesce = coalesce;
    }

    /**
     * What the batch's messages got so far, and where its time went; a message's versions map is made on its first
     * version (only a queue with an archive asks for them).
     */
    private record Tally(List<List<Failure>> failures, List<List<Failure>> stale,
                         List<Map<IndexOperation, Long>> versions, long[] phaseNanos) {

        static Tally of(int messages) {
            List<List<Failure>> failures = new ArrayList<>();
            List<List<Failure>> stale = new ArrayList<>();
            List<Map<IndexOperation, Long>> versions = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                failures.add(new ArrayList<>());
                stale.add(new ArrayList<>());
                versions.add(null);
            }
            return new Tally(failures, stale, versions, new long[Phase.values().length]);
        }
    }

    /** operationsPerMessage in message order; returns one outcome per message, in the same order. */
    public List<MessageOutcome> apply(List<List<IndexOperation>> operationsPerMessage) throws InterruptedException {
        Tally tally = Tally.of(operationsPerMessage.size());
        long started = System.nanoTime();
        applyUnits(coalesce ? Coalescer.units(operationsPerMessage) : oneUnitEach(operationsPerMessage, null),
                operationsPerMessage, tally);
        logIfSlow(operationsPerMessage.size(), System.nanoTime() - started, tally.phaseNanos());
        List<MessageOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < operationsPerMessage.size(); i++) {
            Map<IndexOperation, Long> versions = tally.versions().get(i);
            outcomes.add(new MessageOutcome(tally.failures().get(i), tally.stale().get(i),
                    versions == null ? Map.of() : versions));
        }
        return outcomes;
    }

    /**
     * Applies the units round by round. A folded unit that Elasticsearch rejects is applied again as its messages,
     * one at a time, before the next round, so that failures and the final document are those of applying the
     * messages in order; no later round touches its document before that.
     */
    private void applyUnits(List<Coalescer.Unit> units, List<List<IndexOperation>> operationsPerMessage, Tally tally)
            throws InterruptedException {
        for (List<Integer> round : rounds(units.stream().map(Coalescer.Unit::operations).toList())) {
            List<Coalescer.Unit> rejected = applyRound(round.stream().map(units::get).toList(), operationsPerMessage,
                    tally);
            for (Coalescer.Unit unit : rejected) {
                applyUnits(oneUnitEach(operationsPerMessage, unit.owners()), operationsPerMessage, tally);
            }
        }
    }

    private static List<Coalescer.Unit> oneUnitEach(List<List<IndexOperation>> operationsPerMessage,
                                                    List<Integer> messages) {
        List<Coalescer.Unit> units = new ArrayList<>();
        for (int i = 0; i < operationsPerMessage.size(); i++) {
            if (messages == null || messages.contains(i)) {
                units.add(new Coalescer.Unit(operationsPerMessage.get(i), List.of(i), false));
            }
        }
        return units;
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

    /** Sends the round's five phases; answers the folded units that Elasticsearch rejected, unrecorded. */
    private List<Coalescer.Unit> applyRound(List<Coalescer.Unit> round, List<List<IndexOperation>> operationsPerMessage,
                                            Tally tally) throws InterruptedException {
        Map<Phase, List<IndexOperation>> operations = new EnumMap<>(Phase.class);
        Map<Phase, List<Coalescer.Unit>> owners = new EnumMap<>(Phase.class);
        for (Coalescer.Unit unit : round) {
            for (IndexOperation operation : unit.operations()) {
                operations.computeIfAbsent(operation.phase(), p -> new ArrayList<>()).add(operation);
                owners.computeIfAbsent(operation.phase(), p -> new ArrayList<>()).add(unit);
            }
        }
        List<Coalescer.Unit> rejected = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            List<IndexOperation> phaseOperations = operations.get(phase);
            if (phaseOperations == null) {
                continue;
            }
            long phaseStarted = System.nanoTime();
            List<ItemOutcome> outcomes = sender.apply(phase, phaseOperations);
            tally.phaseNanos()[phase.ordinal()] += System.nanoTime() - phaseStarted;
            for (int i = 0; i < outcomes.size(); i++) {
                Coalescer.Unit unit = owners.get(phase).get(i);
                if (outcomes.get(i).isFailure() && unit.folded()) {
                    rejected.add(unit);
                } else if (outcomes.get(i).isFailure()) {
                    tally.failures().get(unit.owners().get(0)).add(new Failure(phaseOperations.get(i),
                            outcomes.get(i)));
                } else if (outcomes.get(i).status() == ItemOutcome.Status.STALE) {
                    // only versioned operations are stale, and they never fold: the unit is one message's
                    tally.stale().get(unit.owners().get(0)).add(new Failure(phaseOperations.get(i), outcomes.get(i)));
                } else if (outcomes.get(i).version() != null) {
                    recordVersion(unit, phaseOperations.get(i), outcomes.get(i).version(), operationsPerMessage,
                            tally);
                }
            }
        }
        return rejected;
    }

    /**
     * Keeps the version Elasticsearch answered for an applied item under the message operation it stands for: the
     * item itself, or for a folded unit the one operation of its last message, which the item's effect ends with.
     */
    private static void recordVersion(Coalescer.Unit unit, IndexOperation sent, long version,
                                      List<List<IndexOperation>> operationsPerMessage, Tally tally) {
        int owner = unit.owners().get(unit.owners().size() - 1);
        IndexOperation operation = unit.folded() ? operationsPerMessage.get(owner).get(0) : sent;
        if (tally.versions().get(owner) == null) {
            tally.versions().set(owner, new IdentityHashMap<>(4));
        }
        tally.versions().get(owner).put(operation, version);
    }
}
