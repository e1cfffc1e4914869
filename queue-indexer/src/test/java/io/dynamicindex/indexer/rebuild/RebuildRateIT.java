package io.dynamicindex.indexer.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.ElasticsearchService;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.TestNames;

/**
 * The rebuild's rate beside the _bulk ceiling, on demand only ({@code -Drebuild.rate.documents=200000}): an archive
 * of that many product-like documents (about 300 bytes) is rebuilt by the command's code in this JVM, and the same
 * documents are sent as plain _bulk requests of the same size, one at a time, to an index with the same fast-copy
 * settings, before and after the rebuild (the better one counts: the first runs on a cold node). Both rates are
 * logged and written to {@code target/rebuild-rate.txt}.
 */
class RebuildRateIT {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildRateIT.class);
    private static final int BATCH = 1000;

    @Test
    void rebuildRateBesideTheBulkCeiling() throws Exception {
        int documents = Integer.getInteger("rebuild.rate.documents", 0);
        Assumptions.assumeTrue(documents > 0, "on demand: -Drebuild.rate.documents=N");
        PostgresEndpoint postgres = PostgresService.endpoint();
        ElasticsearchEndpoint elasticsearch = ElasticsearchService.endpoint();
        String schema = TestNames.unique("rate_s");
        String alias = TestNames.unique("rate");
        postgres.createSchema(schema);
        try {
            ArchiveFixture.migrate(postgres, schema);
            ArchiveFixture archive = new ArchiveFixture(postgres, schema, elasticsearch, alias);
            fill(archive, alias, documents);
            double before = bulkCeiling(archive, elasticsearch, alias + "-ceiling");
            double rebuild = rebuildRate(postgres, schema, elasticsearch, alias);
            double after = bulkCeiling(archive, elasticsearch, alias + "-ceiling2");
            double ceiling = Math.max(before, after);
            String line = String.format("documents %d, bulk of %d: rebuild %.0f docs/s (whole run, mark to switch), "
                    + "_bulk ceiling %.0f docs/s (one request in flight; %.0f before, %.0f after the rebuild), "
                    + "ratio %.2f", documents, BATCH, rebuild, ceiling, before, after, rebuild / ceiling);
            LOG.info(line);
            Files.writeString(Path.of("target", "rebuild-rate.txt"), line + "\n");
            assertThat(elasticsearch.count(alias)).isEqualTo(documents);
        } finally {
            elasticsearch.deleteIndex(alias + "-ceiling");
            elasticsearch.deleteIndex(alias + "-ceiling2");
            elasticsearch.deleteIndex(alias + "-new");
            postgres.dropSchema(schema);
        }
    }

    private static void fill(ArchiveFixture archive, String alias, int documents) throws Exception {
        try (Connection connection = archive.connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO archive_document SELECT '" + alias + "', 'p' || lpad(i::text, 9, '0'), "
                    + "NULL, i, jsonb_build_object('name', 'Product ' || i || ' from the rate test', 'brand', "
                    + "'Brand ' || (i % 500), 'price', (i % 10000) / 100.0, 'stock', i % 37, 'category', "
                    + "'Category ' || (i % 80), 'description', repeat('word ', 25), 'updated', now()), false, "
                    + "now(), 'rate', nextval('archive_change_seq') FROM generate_series(1, " + documents + ") AS i");
        }
    }

    /** The same documents as plain _bulk bodies of BATCH, built before timing, sent one at a time. */
    private static double bulkCeiling(ArchiveFixture archive, ElasticsearchEndpoint elasticsearch, String index)
            throws Exception {
        elasticsearch.call("PUT", "/" + index, "{\"settings\":{\"index.refresh_interval\":\"-1\","
                + "\"index.number_of_replicas\":0}}");
        List<String> bodies = new ArrayList<>();
        try (Connection connection = archive.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT doc_id, version, document::text FROM archive_document "
                     + "ORDER BY doc_id")) {
            StringBuilder body = new StringBuilder();
            int inBody = 0;
            while (rows.next()) {
                body.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"")
                        .append(rows.getString(1)).append("\",\"version\":").append(rows.getLong(2))
                        .append(",\"version_type\":\"external_gte\"}}\n").append(rows.getString(3)).append('\n');
                if (++inBody == BATCH) {
                    bodies.add(body.toString());
                    body.setLength(0);
                    inBody = 0;
                }
            }
            if (inBody > 0) {
                bodies.add(body.toString());
            }
        }
        long started = System.nanoTime();
        long sent = 0;
        for (String body : bodies) {
            JsonNode answer = ArchiveFixture.JSON.readTree(elasticsearch.call("POST",
                    "/_bulk?filter_path=errors,items.*.status,items.*.error", body).body());
            assertThat(answer.path("errors").asBoolean(true)).as("ceiling bulk").isFalse();
            sent += answer.path("items").size();
        }
        return sent * 1e9 / (System.nanoTime() - started);
    }

    private static double rebuildRate(PostgresEndpoint postgres, String schema, ElasticsearchEndpoint elasticsearch,
                                      String alias) throws Exception {
        Path settings = Files.writeString(Files.createTempFile("rate", ".json"), "{\"settings\":"
                + "{\"number_of_shards\":1}}");
        List<String> args = new ArrayList<>(List.of("--alias=" + alias, "--settings=" + settings,
                "--target-index=" + alias + "-new", "--dynamic-index.indexer.elasticsearch.hosts=" + elasticsearch.url(),
                "--dynamic-index.indexer.rebuild.batch-size=" + BATCH));
        postgres.springProperties(schema).forEach((key, value) -> args.add("--" + key + "=" + value));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = RebuildCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        assertThat(code).isZero();
        return ArchiveFixture.JSON.readTree(out.toString(StandardCharsets.UTF_8)).path("documentsPerSecond")
                .asDouble();
    }
}
