package io.dynamicindex.benchmark.stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.report.StageResult;
import io.dynamicindex.benchmark.workload.Mix;
import io.dynamicindex.benchmark.workload.WorkloadGenerator;
import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.TestNames;

/**
 * Hot documents: the indexer drains the same backlog (the end-to-end mix, in envelopes of 100 changes as the queue
 * server publishes them) once with coalescing on and once with it off, each into a fresh index. Elasticsearch's own
 * counters ({@code _stats/indexing}: index_total plus delete_total over the index and its "unmatched" copy) give the
 * operations it performed per change. Two workloads: the (10 % of changes on 1 % of the ids) and a hot one
 * (half the changes on 100 ids), where batches meet the same document often.
 */
public final class HotDocumentStage {

    /** One workload: hotPercent of the changes fall on hotKeys of keySpace ids. */
    record Workload(String name, int keySpace, int hotPercent, int hotKeys) {
    }

    private static final List<Workload> WORKLOADS = List.of(
            new Workload("10 % of changes on 1 % of ids", 100_000, 10, 1_000),
            new Workload("50 % of changes on 100 ids", 100_000, 50, 100));
    private static final int ENVELOPE = 100;
    private static final long SEED = 14;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StageContext context;
    private final int changes;

    public HotDocumentStage(StageContext context, int changes) {
        this.context = context;
        this.changes = changes;
    }

    public List<StageResult> run() throws Exception {
        List<StageResult> results = new ArrayList<>();
        for (Workload workload : WORKLOADS) {
            Map<String, Object> on = drain(workload, true);
            Map<String, Object> off = drain(workload, false);
            results.add(result(workload, on, off));
        }
        return results;
    }

    private StageResult result(Workload workload, Map<String, Object> on, Map<String, Object> off) {
        double opsOn = (double) on.get("operationsPerChange");
        double opsOff = (double) off.get("operationsPerChange");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("workload", workload.name());
        details.put("changes", changes);
        details.put("coalescingOn", on);
        details.put("coalescingOff", off);
        details.put("operationsPerChangeOn", opsOn);
        details.put("operationsPerChangeOff", opsOff);
        details.put("sameDocumentCount", on.get("documents").equals(off.get("documents")));
        context.progress().done(String.format("%s: %.3f Elasticsearch operations per change with coalescing, %.3f "
                        + "without; drain %.0f/s against %.0f/s", workload.name(), opsOn, opsOff, on.get("rate"),
                off.get("rate")));
        String name = (String) on.get("indexer");
        return new StageResult("hot documents: " + workload.name(), String.format("indexer drain of %,d changes "
                        + "(mix %s, envelopes of %d), coalescing on: %.3f Elasticsearch operations per change, off: "
                        + "%.3f (drain %.0f/s off)", changes, Mix.DEFAULT, ENVELOPE, opsOn, opsOff, off.get("rate")),
                (double) on.get("rate"), context.bulkCeiling().name(), context.bulkCeiling().rate(), null, null,
                "none", Map.of(name, (double) on.get("cpuMicrosPerChange")),
                Map.of(name, (double) on.get("peakRssMib")), details);
    }

    /** One drain of the workload's backlog with coalescing on or off, into indices of its own. */
    private Map<String, Object> drain(Workload workload, boolean coalesce) throws Exception {
        String index = TestNames.unique("bench_hot");
        String queue = TestNames.unique("bench_hot_idx");
        WorkloadGenerator generator = new WorkloadGenerator(index, workload.keySpace(), Mix.DEFAULT, SEED,
                workload.hotPercent(), workload.hotKeys());
        ElasticsearchEndpoint elasticsearch = context.environment().elasticsearch();
        context.broker().declare(queue);
        try {
            context.progress().update(workload.name() + ", coalescing " + (coalesce ? "on" : "off")
                    + ": publishing " + changes + " changes");
            context.fillEnvelopes(queue, changes, generator, ENVELOPE);
            try (Daemon indexer = context.daemons().indexer(List.of(queue),
                    Map.of("dynamic-index.indexer.coalesce", String.valueOf(coalesce)))) {
                Map<String, Object> figures = awaitApplied(indexer);
                figures.put("operations", operations(elasticsearch, index));
                figures.put("operationsPerChange", (double) (long) figures.get("operations") / changes);
                figures.put("documents", elasticsearch.count(index));
                figures.put("indexer", indexer.name());
                figures.put("peakRssMib", indexer.peakRssMib());
                return figures;
            }
        } finally {
            context.broker().delete(queue);
            elasticsearch.deleteIndex(index + "*");
        }
    }

    /** Waits for every change to be applied; the rate runs from the first applied change to the last. */
    private Map<String, Object> awaitApplied(Daemon indexer) throws InterruptedException {
        DrainWatch.Drained drained = DrainWatch.await(context, indexer, changes, 1);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rate", drained.rate());
        figures.put("cpuMicrosPerChange", drained.micros(indexer.name()));
        figures.put("elasticsearchCpuMicrosPerChange", drained.micros("elasticsearch"));
        return figures;
    }

    /** Index and delete operations Elasticsearch performed on the index and its "unmatched" copy (primaries). */
    private static long operations(ElasticsearchEndpoint elasticsearch, String index) {
        elasticsearch.call("POST", "/" + index + "*/_refresh", null);
        JsonNode stats = JSON.readTree(elasticsearch.call("GET", "/" + index + "*/_stats/indexing", null).body());
        JsonNode indexing = stats.path("_all").path("primaries").path("indexing");
        return indexing.path("index_total").asLong() + indexing.path("delete_total").asLong();
    }
}
