package io.dynamicindex.benchmark.stage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.measure.CpuWindow;
import io.dynamicindex.benchmark.report.StageResult;
import io.dynamicindex.infra.TestNames;

/**
 * The rebuild's rate beside the {@code _bulk} ceiling: an archive of product-like documents (about 300 bytes each) is
 * rebuilt into a new index by the rebuild's command line, run from the indexer's jar as an operator runs it. The
 * rate is the command's own {@code documentsPerSecond} (mark to switch); the wall time includes the JVM's start.
 * Beside it: Elasticsearch's and PostgreSQL's CPU per document over the command's run.
 */
public final class RebuildStage {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MAIN = "io.dynamicindex.indexer.rebuild.RebuildCommand";
    private static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    private final StageContext context;
    private final int documents;

    public RebuildStage(StageContext context, int documents) {
        this.context = context;
        this.documents = documents;
    }

    public StageResult run() throws Exception {
        String alias = TestNames.unique("bench_rebuild");
        ensureArchiveTables();
        try {
            context.progress().update("filling the archive with " + documents + " documents");
            fill(alias);
            long started = System.nanoTime();
            CpuWindow cpu = CpuWindow.open(context.environment().serviceProcesses());
            JsonNode view = rebuild(alias);
            CpuWindow.Usage usage = cpu.close();
            double wallSeconds = (System.nanoTime() - started) / 1e9;
            double rate = view.path("documentsPerSecond").asDouble();
            long indexed = context.environment().elasticsearch().count(alias);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("documents", documents);
            details.put("indexedThroughAlias", indexed);
            details.put("copied", view.path("copied").asLong());
            details.put("wallSecondsWithJvmStart", wallSeconds);
            details.put("elasticsearchCpuMicrosPerDocument", usage.microsPerMessage("elasticsearch", documents));
            details.put("postgresqlCpuMicrosPerDocument", usage.microsPerMessage("postgresql", documents));
            details.put("machineUtilisation", usage.machineUtilisation());
            context.progress().done(String.format("rebuilt %d documents at %.0f documents/s (_bulk ceiling %.0f); "
                    + "%.1f s with the JVM's start", documents, rate, context.bulkCeiling().rate(), wallSeconds));
            if (indexed != documents) {
                throw new IllegalStateException("the rebuilt index holds " + indexed + " of " + documents);
            }
            return new StageResult("rebuild", String.format("rebuild of an archive of %,d documents (~300 B) by the "
                    + "command line, batches of 1,000, one bulk in flight", documents), rate,
                    context.bulkCeiling().name(), context.bulkCeiling().rate(), null, null, "none",
                    Map.of("elasticsearch", usage.microsPerMessage("elasticsearch", documents),
                            "postgresql", usage.microsPerMessage("postgresql", documents)), Map.of(), details);
        } finally {
            context.environment().elasticsearch().deleteIndex(alias + "*");
            sql("DELETE FROM archive_document WHERE index_name = '" + alias + "'");
            sql("DELETE FROM archive_rebuild WHERE alias = '" + alias + "'");
        }
    }

    /** The indexer's migrations create the archive's tables; a stage run alone starts one indexer for them. */
    private void ensureArchiveTables() throws Exception {
        try (Connection connection = context.environment().postgres().connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT to_regclass('\"" + context.environment().schema()
                     + "\".archive_rebuild') IS NOT NULL")) {
            rows.next();
            if (rows.getBoolean(1)) {
                return;
            }
        }
        try (Daemon indexer = context.daemons().indexer(List.of())) {
            context.progress().update("archive tables created by " + indexer.name());
        }
    }

    private void fill(String alias) throws Exception {
        sql("INSERT INTO archive_document SELECT '" + alias + "', 'p' || lpad(i::text, 9, '0'), NULL, i, "
                + "jsonb_build_object('name', 'Product ' || i, 'brand', 'Brand ' || (i % 500), 'price', "
                + "(i % 10000) / 100.0, 'stock', i % 37, 'category', 'Category ' || (i % 80), 'description', "
                + "repeat('word ', 25)), false, now(), 'benchmark', nextval('archive_change_seq') "
                + "FROM generate_series(1, " + documents + ") AS i");
    }

    /** Runs the command line to its end; answers its final view (the last line it prints). */
    private JsonNode rebuild(String alias) throws Exception {
        Path work = context.environment().work();
        Path settings = Files.writeString(work.resolve(alias + ".json"), "{\"settings\":{\"number_of_shards\":1}}");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp",
                context.daemons().indexerJar().toString(), "-Dloader.main=" + MAIN, LAUNCHER, "--alias=" + alias,
                "--settings=" + settings, "--dynamic-index.indexer.elasticsearch.hosts="
                        + context.environment().elasticsearch().url(), "--logging.level.root=WARN"));
        context.environment().postgres().springProperties(context.environment().schema())
                .forEach((key, value) -> command.add("--" + key + "=" + value));
        Path out = work.resolve("rebuild.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(out.toFile())).start();
        context.progress().update("rebuilding " + alias + " with the command line");
        if (!process.waitFor(Math.max(300, documents / 500), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the rebuild did not end in time; see " + out);
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        if (process.exitValue() != 0 || !last.startsWith("{")) {
            throw new IllegalStateException("the rebuild exited " + process.exitValue() + ": " + last);
        }
        return JSON.readTree(last);
    }

    private void sql(String statementText) throws Exception {
        try (Connection connection = context.environment().postgres().connect();
             Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO \"" + context.environment().schema() + "\"");
            statement.execute(statementText);
        }
    }
}
