package io.dynamicindex.benchmark.stage;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamicindex.benchmark.ceiling.ConsumeBulkReference;
import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.environment.DaemonState;
import io.dynamicindex.benchmark.measure.LoadDriver;
import io.dynamicindex.benchmark.measure.ProbeTracker;
import io.dynamicindex.benchmark.report.Ceiling;
import io.dynamicindex.benchmark.report.StageResult;
import io.dynamicindex.benchmark.workload.WorkloadGenerator;

/**
 * queue-indexer alone, with its default settings. It first drains the index queue that the scheduler stage filled
 * (at least 200,000 canonical index messages in the full plan): the rate from 5 % applied to the last message
 * applied, read from its applied counter every 500 ms, is compared with the direct _bulk ceiling. Then messages
 * with probes are published into the index queue at half that rate, to time index queue to searchable. Last, with
 * the indexer stopped, the same backlog is drained by {@link ConsumeBulkReference}, the least any consumer must do,
 * and the drain's ratio to it is reported beside the direct _bulk ceiling.
 */
public final class IndexerStage {

    private final StageContext context;
    private final WorkloadGenerator generator;

    public IndexerStage(StageContext context, WorkloadGenerator generator) {
        this.context = context;
        this.generator = generator;
    }

    /**
     * @param changes the changes the index queue holds (the scheduler stage's count; its messages are packs), or 0
     *                when no stage filled it: then it is topped up with single changes
     */
    public StageResult run(String indexQueue, long changes) throws Exception {
        long backlog = changes > 0 ? changes : context.topUp(indexQueue, context.plan().chainMessages(), generator);
        Map<String, Object> details;
        ProbeTracker probes;
        String name;
        double peakRssMib;
        try (Daemon indexer = context.daemons().indexer(List.of(indexQueue))) {
            details = drain(indexer, backlog);
            details.put("batchingDuringDrain", DaemonState.indexerBatching(indexer));
            Map<String, Object> paced = new LinkedHashMap<>();
            probes = paced(indexQueue, Math.max(500, (double) details.get("rate") / 2), paced);
            details.put("latencyPhase", paced);
            name = indexer.name();
            peakRssMib = indexer.peakRssMib();
        }
        double rate = (double) details.get("rate");
        Ceiling reference = consumeBulk(indexQueue, backlog);
        details.put("consumeBulkReference", reference.rate());
        details.put("drainToConsumeBulk", rate / reference.rate());
        context.progress().done(String.format("drained %d at %.0f msgs/s (consume + _bulk %.0f/s); probes p99 %.0f ms",
                backlog, rate, reference.rate(), probes.latencies().percentileMillis(99)));
        return new StageResult("queue-indexer", "drain of " + backlog + " changes, default settings, beside "
                + "consume + _bulk " + Math.round(reference.rate()) + " msgs/s (ratio "
                + String.format("%.2f", rate / reference.rate()) + "); then "
                + Math.round((double) ((Map<?, ?>) details.get("latencyPhase")).get("offeredRate"))
                + " msgs/s published with probes",
                rate, context.bulkCeiling().name(), context.bulkCeiling().rate(),
                probes.latencies().percentileMillis(50), probes.latencies().percentileMillis(99),
                "index queue (broker confirm) to searchable, at half the drain rate",
                Map.of(name, (double) details.get("cpuMicrosPerMessage")), Map.of(name, peakRssMib), details);
    }

    /**
     * A backlog of as many changes, in envelopes of 100 as the scheduler packs them, drained by the minimal
     * consume + _bulk loop once the indexer has stopped.
     */
    private Ceiling consumeBulk(String indexQueue, long backlog) throws Exception {
        context.fillEnvelopes(indexQueue, backlog, generator, ServerStage.BATCH);
        return new ConsumeBulkReference(context.broker(), context.environment().elasticsearch().url(),
                context.progress()).measure(indexQueue, backlog, Duration.ofSeconds(Math.max(120, backlog / 500)));
    }

    private Map<String, Object> drain(Daemon indexer, long backlog) throws InterruptedException {
        DrainWatch.Drained drained = DrainWatch.await(context, indexer, backlog, backlog / 20);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("backlog", backlog);
        details.put("measuredMessages", drained.measured());
        details.put("rate", drained.rate());
        details.put("cpuMicrosPerMessage", drained.micros(indexer.name()));
        details.put("machineUtilisation", drained.usage().machineUtilisation());
        details.put("cpuSeconds", drained.usage().cpuSeconds());
        return details;
    }

    private ProbeTracker paced(String indexQueue, double rate, Map<String, Object> details) throws Exception {
        Duration duration = context.plan().indexerLatency();
        int perBatch = ServerStage.BATCH;
        long probeEvery = Math.max(1, Math.round(rate / perBatch / 20));
        ProbeTracker probes = new ProbeTracker(context.environment().elasticsearch(), generator.index());
        try {
            LoadDriver driver = LoadDriver.fixedRate(rate, perBatch, 2, duration,
                    ticket -> generator.batch(perBatch, ticket % probeEvery == 0),
                    () -> context.broker().publisher(indexQueue), probes);
            try (var watch = context.progress().watch(() -> "publishing with probes: " + driver.accepted())) {
                LoadDriver.Outcome outcome = driver.await();
                details.put("offeredRate", rate);
                details.put("publishedRate", outcome.acceptedPerSecond());
            }
            details.put("probesMissing", probes.awaitAll(Duration.ofSeconds(30)));
            details.put("probes", probes.latencies().count());
            return probes;
        } finally {
            probes.close();
        }
    }
}
