package io.dynamicindex.benchmark.stage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.report.StageResult;
import io.dynamicindex.benchmark.workload.Mix;
import io.dynamicindex.benchmark.workload.WorkloadGenerator;
import io.dynamicindex.infra.TestNames;

/**
 * The archive's cost: the indexer drains the same backlog (the end-to-end mix over 100,000 ids, in envelopes of 100
 * changes as the queue server publishes them) twice with its queue's archive off and twice with it on, each into a
 * fresh index. Beside the drain rates: the indexer's and PostgreSQL's CPU per change (every postgres process: the
 * indexer's pooled backends, the WAL writer, the checkpointer), and the archive's row count against the index's.
 */
public final class ArchiveStage {

    private static final int KEY_SPACE = 100_000;
    private static final int ENVELOPE = 100;
    private static final long SEED = 15;

    private final StageContext context;
    private final int changes;

    public ArchiveStage(StageContext context, int changes) {
        this.context = context;
        this.changes = changes;
    }

    /**
     * Four drains in the order off, on, on, off, so that a drift over the stage (Elasticsearch warming up, merging)
     * weighs on both sides alike; each side's figures are the mean of its two drains.
     */
    public StageResult run() throws Exception {
        Map<String, Object> offFirst = drain(false);
        Map<String, Object> onFirst = drain(true);
        Map<String, Object> on = mean(onFirst, drain(true));
        Map<String, Object> off = mean(offFirst, drain(false));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("changes", changes);
        details.put("archiveOff", off);
        details.put("archiveOn", on);
        details.put("rateRatio", (double) on.get("rate") / (double) off.get("rate"));
        context.progress().done(String.format("archive off %.0f changes/s, on %.0f changes/s; PostgreSQL %.1f µs "
                        + "per change on (%.1f off)", off.get("rate"), on.get("rate"),
                on.get("postgresqlCpuMicrosPerChange"), off.get("postgresqlCpuMicrosPerChange")));
        String name = (String) on.get("indexer");
        return new StageResult("archive", String.format("indexer drain of %,d changes (mix %s, envelopes of %d), "
                        + "archive on; off: %.0f changes/s", changes, Mix.DEFAULT, ENVELOPE, off.get("rate")),
                (double) on.get("rate"), context.bulkCeiling().name(), context.bulkCeiling().rate(), null, null,
                "none", Map.of(name, (double) on.get("cpuMicrosPerChange"),
                "postgresql", (double) on.get("postgresqlCpuMicrosPerChange")),
                Map.of(name, (double) on.get("peakRssMib")), details);
    }

    /** The mean of every number of the two drains; anything else is the first's. */
    private static Map<String, Object> mean(Map<String, Object> first, Map<String, Object> second) {
        Map<String, Object> mean = new LinkedHashMap<>();
        first.forEach((key, value) -> mean.put(key, value instanceof Double a && second.get(key) instanceof Double b
                ? (a + b) / 2 : value));
        mean.put("drains", List.of(first, second));
        return mean;
    }

    private Map<String, Object> drain(boolean archive) throws Exception {
        String index = TestNames.unique("bench_archive");
        String queue = TestNames.unique("bench_archive_idx");
        WorkloadGenerator generator = new WorkloadGenerator(index, KEY_SPACE, Mix.DEFAULT, SEED);
        context.broker().declare(queue);
        try {
            context.progress().update("archive " + (archive ? "on" : "off") + ": publishing " + changes
                    + " changes");
            context.fillEnvelopes(queue, changes, generator, ENVELOPE);
            try (Daemon indexer = context.daemons().indexer(List.of(queue), Map.of(
                    "dynamic-index.indexer.queues." + queue + ".archive.enabled", String.valueOf(archive)))) {
                DrainWatch.Drained drained = DrainWatch.await(context, indexer, changes, 1);
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("rate", drained.rate());
                figures.put("cpuMicrosPerChange", drained.micros(indexer.name()));
                figures.put("postgresqlCpuMicrosPerChange", drained.micros("postgresql"));
                figures.put("elasticsearchCpuMicrosPerChange", drained.micros("elasticsearch"));
                figures.put("machineUtilisation", drained.usage().machineUtilisation());
                figures.put("documents", context.environment().elasticsearch().count(index));
                figures.put("archivedDocuments", archived(index));
                figures.put("indexer", indexer.name());
                figures.put("peakRssMib", indexer.peakRssMib());
                return figures;
            }
        } finally {
            context.broker().delete(queue);
            context.environment().elasticsearch().deleteIndex(index + "*");
            deleteArchived(index);
        }
    }

    /** Documents the archive holds, not deleted, for the index and its "unmatched" copy. */
    private long archived(String index) throws Exception {
        try (Connection connection = context.environment().postgres().connect();
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM \""
                     + context.environment().schema() + "\".archive_document WHERE index_name LIKE ? "
                     + "AND NOT deleted")) {
            statement.setString(1, index + "%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private void deleteArchived(String index) throws Exception {
        try (Connection connection = context.environment().postgres().connect();
             PreparedStatement statement = connection.prepareStatement("DELETE FROM \""
                     + context.environment().schema() + "\".archive_document WHERE index_name LIKE ?")) {
            statement.setString(1, index + "%");
            statement.executeUpdate();
        }
    }
}
