package io.dynamicindex.indexer.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.ElasticsearchService;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RunTokens;
import io.dynamicindex.infra.TestNames;

/**
 * Rebuilds against real Elasticsearch and PostgreSQL: through the indexer's endpoint while a writer keeps changing
 * documents as live batches do and a searcher keeps searching through the alias; and from the command line, killed
 * with SIGKILL during the copy and resumed.
 */
class RebuildIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A changed mapping with an analyzer that every engine's server has (Elasticsearch 8's has no asciifolding). */
    private static final String NEW_MAPPING = "{\"settings\":{\"number_of_shards\":1,\"refresh_interval\":\"1s\","
            + "\"analysis\":{\"analyzer\":{\"words\":{\"type\":\"custom\",\"tokenizer\":\"standard\","
            + "\"filter\":[\"lowercase\"]}}}},"
            + "\"mappings\":{\"properties\":{\"name\":{\"type\":\"text\",\"analyzer\":\"words\"},"
            + "\"n\":{\"type\":\"long\"}}}}";

    @Tag("compat")
    @Test
    void rebuildsWithAChangedMappingWhileLiveWritesAndSearchesGoOn() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String alias = harness.index("products");
            ElasticsearchEndpoint elasticsearch = harness.elasticsearch;
            assertThat(elasticsearch.call("PUT", "/" + alias, "{\"mappings\":{\"properties\":{\"name\":"
                    + "{\"type\":\"keyword\"},\"n\":{\"type\":\"long\"}}}}").statusCode()).isEqualTo(200);
            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.rebuild.batch-size", "200");
            properties.put("dynamic-index.indexer.rebuild.catch-up-threshold", "100");
            harness.start(properties);
            ArchiveFixture archive = new ArchiveFixture(harness.postgres, harness.schema, elasticsearch, alias);
            LiveTraffic traffic = new LiveTraffic(archive, elasticsearch, alias, 5000);
            traffic.seed();
            String api = harness.url() + "/api/v1/rebuilds";

            assertRefusals(harness, archive, api, alias);

            String first;
            String second = alias + "-v3";
            LiveTraffic.Tally concrete;
            LiveTraffic.Tally aliased;
            try (traffic) {
                traffic.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> traffic.batches() >= 20);
                traffic.tally();
                first = rebuild(api, alias, "{\"alias\":\"" + alias + "\",\"settings\":" + NEW_MAPPING + "}",
                        traffic);
                harness.indices.add(first);
                concrete = traffic.tally();
                assertThat(view(api, alias).previous()).isEqualTo("index " + alias + " (removed by the switch)");
                harness.indices.add(second);
                assertThat(rebuild(api, alias, "{\"alias\":\"" + alias + "\",\"targetIndex\":\"" + second
                        + "\",\"settings\":" + NEW_MAPPING + "}", traffic)).isEqualTo(second);
                aliased = traffic.tally();
            }

            assertThat(traffic.writerFailure()).as("live writes through the alias").isNull();
            assertThat(aliased.searches()).isGreaterThan(20);
            assertThat(aliased.failed()).as("failed searches across an alias-to-alias switch").isEmpty();
            assertThat(aliased.empty()).as("searches with 0 hits across an alias-to-alias switch").isEmpty();
            assertThat(concrete.empty()).as("searches with 0 hits across the first switch").isEmpty();
            assertThat(concrete.failed()).as("only searches on the concrete index while remove_index deletes it may "
                    + "fail").allMatch(failure -> failure.contains(" 503 ") || failure.contains("index_not_found"));
            assertThat(window(concrete.failed())).as("the failures of the first switch, %s", concrete.failed())
                    .isLessThanOrEqualTo(Duration.ofMillis(250));
            RebuildView done = view(api, alias);
            assertThat(done.running()).isFalse();
            assertThat(done.copied()).isPositive();
            assertThat(done.caughtUp()).as("live changes during the copy were caught up").isPositive();
            assertThat(done.previous()).isEqualTo("alias of " + first);
            assertThat(aliasTargets(elasticsearch, alias)).containsExactly(second);
            assertThat(elasticsearch.call("HEAD", "/" + first, null).statusCode()).as("the old index is kept")
                    .isEqualTo(200);
            assertThat(elasticsearch.call("GET", "/" + second + "/_mapping/field/name", null).body())
                    .contains("\"type\":\"text\"");
            assertThat(hits(elasticsearch, alias, "{\"query\":{\"match\":{\"name\":\"édition\"}}}"))
                    .as("the new analyzer lowercases É and splits words").isPositive();

            Map<String, ArchiveFixture.Stored> archived = archive.archived();
            assertThat(archive.indexed(second, archived)).isEqualTo(archived);
        }
    }

    /**
     * The first rebuild of a concrete index drops it in the switch: documents written before the archive existed
     * would be lost. It is refused (409, naming the live count and the archive's) unless the request allows the loss;
     * then the dropped ids are in the audit trail and the new index holds what the archive holds.
     */
    @Test
    void refusesToDropLiveDocumentsTheArchiveNeverSawUnlessTheLossIsAllowed() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String alias = harness.index("legacy");
            ElasticsearchEndpoint elasticsearch = harness.elasticsearch;
            StringBuilder before = new StringBuilder();
            for (String id : List.of("OLD-1", "OLD-2", "OLD-3")) {
                before.append("{\"index\":{\"_index\":\"").append(alias).append("\",\"_id\":\"").append(id)
                        .append("\"}}\n{\"name\":\"before the archive\"}\n");
            }
            assertThat(elasticsearch.call("POST", "/_bulk?refresh=true", before.toString()).statusCode())
                    .isEqualTo(200);
            harness.start(harness.properties());
            ArchiveFixture archive = new ArchiveFixture(harness.postgres, harness.schema, elasticsearch, alias);
            archive.write(List.of(new ArchiveFixture.Change("A", null, Map.of("name", "a")),
                    new ArchiveFixture.Change("B", 7L, Map.of("name", "b"))));
            String api = harness.url() + "/api/v1/rebuilds";
            String request = "{\"alias\":\"" + alias + "\",\"targetIndex\":\"" + alias + "-v2\",\"settings\":"
                    + NEW_MAPPING;

            assertProblem(post(api, request + "}", true), 409, "index " + alias + " holds 5 document(s) and the "
                    + "archive 2 live row(s) of it: 3 document(s) without an archive row (e.g. OLD-1, OLD-2, OLD-3)");
            assertThat(get(api + "/" + alias).statusCode()).as("nothing recorded by the refusal").isEqualTo(404);
            assertThat(elasticsearch.call("HEAD", "/" + alias + "-v2", null).statusCode()).isEqualTo(404);

            harness.indices.add(alias + "-v2");
            HttpResponse<String> start = post(api, request + ",\"allowLoss\":true}", true);
            assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(view(api, alias).phase()).as(view(api, alias).toString()).isEqualTo("switched"));

            Map<String, ArchiveFixture.Stored> archived = archive.archived();
            assertThat(archived).containsOnlyKeys("A", "B");
            assertThat(archive.indexed(alias, archived)).isEqualTo(archived);
            assertThat(lossAudit(archive)).contains("\"alias\":\"" + alias + "\"", "\"unarchived\":3",
                    "\"OLD-1\"", "\"OLD-2\"", "\"OLD-3\"");
        }
    }

    /**
     * The command line refuses the same loss with exit code 4 and changes nothing; with {@code --allow-loss} it
     * switches and stores the audit event in {@code management_audit} as the daemon does, naming the OS user.
     */
    @Test
    void theCommandLineRefusesTheLossWithExitFourAndAuditsItWhenAllowed() throws Exception {
        PostgresEndpoint postgres = PostgresService.endpoint();
        ElasticsearchEndpoint elasticsearch = ElasticsearchService.endpoint();
        String schema = TestNames.unique("rebuild_cli");
        String alias = TestNames.unique("legacy_cli");
        String target = alias + "-v2";
        postgres.createSchema(schema);
        try {
            ArchiveFixture.migrate(postgres, schema);
            ArchiveFixture archive = new ArchiveFixture(postgres, schema, elasticsearch, alias);
            assertThat(elasticsearch.call("POST", "/_bulk?refresh=true", "{\"index\":{\"_index\":\"" + alias
                    + "\",\"_id\":\"OLD-1\"}}\n{\"name\":\"before the archive\"}\n").statusCode()).isEqualTo(200);
            archive.write(List.of(new ArchiveFixture.Change("A", null, Map.of("name", "a")),
                    new ArchiveFixture.Change("B", 7L, Map.of("name", "b"))));
            Path settings = Files.writeString(Files.createTempFile("rebuild", ".json"), NEW_MAPPING);
            List<String> arguments = cliArguments(postgres, schema, elasticsearch, alias);
            arguments.addAll(List.of("--settings=" + settings, "--target-index=" + target));

            Process refused = cli(arguments, "rebuild-loss-refused");
            assertThat(refused.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.exitValue()).as("see target/daemons/rebuild-loss-refused.log").isEqualTo(4);
            assertThat(Files.readString(Path.of("target", "daemons", "rebuild-loss-refused.log")))
                    .contains("1 document(s) without an archive row (e.g. OLD-1)", "--allow-loss");
            assertThat(elasticsearch.call("HEAD", "/" + target, null).statusCode()).isEqualTo(404);
            assertThat(archive.rebuildRow()).as("nothing recorded by the refusal").isEmpty();
            assertThat(archive.indexed(alias, Map.of())).containsOnlyKeys("OLD-1", "A", "B");

            arguments.add("--allow-loss");
            Process allowed = cli(arguments, "rebuild-loss-allowed");
            assertThat(allowed.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(allowed.exitValue()).as("see target/daemons/rebuild-loss-allowed.log").isZero();
            assertThat(archive.rebuildRow().get("phase")).isEqualTo("switched");
            assertThat(aliasTargets(elasticsearch, alias)).containsExactly(target);
            Map<String, ArchiveFixture.Stored> archived = archive.archived();
            assertThat(archive.indexed(alias, archived)).isEqualTo(archived);
            assertThat(lossAudit(archive)).startsWith("cli:" + System.getProperty("user.name") + " queue-indexer {")
                    .contains("\"alias\":\"" + alias + "\"", "\"unarchived\":1", "\"ids\":[\"OLD-1\"]");
        } finally {
            elasticsearch.deleteIndex(alias);
            elasticsearch.deleteIndex(target);
            postgres.dropSchema(schema);
        }
    }

    /** The actor, daemon and data of the audit trail's accepted-loss events. */
    private static String lossAudit(ArchiveFixture archive) throws Exception {
        try (Connection connection = archive.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT string_agg(actor || ' ' || daemon || ' ' || data, ' ') "
                     + "FROM management_audit WHERE type = 'REBUILD_LOSS_ALLOWED'")) {
            rows.next();
            return String.valueOf(rows.getString(1));
        }
    }

    /** From the first failure to the last, by the times the searcher recorded. */
    private static Duration window(List<String> failures) {
        List<Instant> times = failures.stream().map(failure -> Instant.parse(failure.substring(0,
                failure.indexOf(' ')))).sorted().toList();
        return times.isEmpty() ? Duration.ZERO : Duration.between(times.get(0), times.get(times.size() - 1));
    }

    /** Starts a rebuild, waits for its switch and for live batches after it; returns the new index. */
    private static String rebuild(String api, String alias, String request, LiveTraffic traffic) throws Exception {
        HttpResponse<String> start = post(api, request, true);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
        RebuildView started = ArchiveFixture.JSON.readValue(start.body(), RebuildView.class);
        assertThat(started.targetIndex()).startsWith(alias + "-");
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(view(api, alias).phase()).as(view(api, alias).toString()).isEqualTo("switched"));
        long batchesAtSwitch = traffic.batches();
        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.batches() >= batchesAtSwitch + 20);
        return started.targetIndex();
    }

    private static void assertRefusals(IndexerHarness harness, ArchiveFixture archive, String api, String alias)
            throws Exception {
        assertThat(get(api + "/" + alias).statusCode()).isEqualTo(404);
        String body = "{\"alias\":\"" + alias + "\",\"settings\":" + NEW_MAPPING + "}";
        assertThat(post(api, body, false).statusCode()).as("a viewer may not start a rebuild").isEqualTo(403);
        assertProblem(post(api, "{\"alias\":\"" + alias + "\"}", true), 400, "exactly one of settingsFile");
        assertProblem(post(api, "{\"alias\":\"" + alias + "\",\"settingsFile\":\"/nonexistent.json\"}", true), 400,
                "cannot read the settings file /nonexistent.json");
        assertProblem(post(api, "{\"alias\":\"Bad Name\",\"settings\":{}}", true), 400, "alias must be");
        assertProblem(post(api, "{\"alias\":\"never_archived\",\"settings\":{}}", true), 404,
                "the archive holds no document of never_archived");
        assertProblem(post(api, "{\"alias\":\"" + alias + "\",\"settings\":{\"mappings\":{\"properties\":"
                + "{\"name\":{\"type\":\"nonsense\"}}}}}", true), 400, "Elasticsearch refused the settings");
        assertThat(get(api + "/" + alias).statusCode()).as("nothing recorded by a refusal").isEqualTo(404);
        try (Connection other = archive.connect(); Statement statement = other.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(hashtext('dynamic-index.rebuild'), hashtext('" + alias
                    + "'))");
            assertProblem(post(api, body, true), 409, "is running (in this or another process)");
        }
        assertProblem(post(api + "/" + alias + "/resume", "", true), 404, "no rebuild of " + alias);
    }

    @Test
    void resumesFromItsLastKeyAfterAKillDuringTheCopy() throws Exception {
        PostgresEndpoint postgres = PostgresService.endpoint();
        ElasticsearchEndpoint elasticsearch = ElasticsearchService.endpoint();
        String schema = TestNames.unique("rebuild_s");
        String alias = TestNames.unique("catalog");
        String old = alias + "-old";
        String target = alias + "-new";
        int documents = 30_000;
        postgres.createSchema(schema);
        try {
            ArchiveFixture.migrate(postgres, schema);
            ArchiveFixture archive = new ArchiveFixture(postgres, schema, elasticsearch, alias);
            assertThat(elasticsearch.call("PUT", "/" + old, "{\"aliases\":{\"" + alias + "\":{}}}").statusCode())
                    .isEqualTo(200);
            fillArchive(archive, alias, documents);
            Path settings = Files.writeString(Files.createTempFile("rebuild", ".json"), NEW_MAPPING);
            List<String> arguments = cliArguments(postgres, schema, elasticsearch, alias);

            List<String> first = new ArrayList<>(arguments);
            first.addAll(List.of("--settings=" + settings, "--target-index=" + target));
            Process killed = cli(first, "rebuild-killed");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> copied(archive) >= 3000);
            killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Map<String, Object> atKill = archive.rebuildRow();
            long copiedAtKill = (Long) atKill.get("copied");
            assertThat(atKill.get("phase")).as("killed during the copy").isEqualTo("copying");
            assertThat(copiedAtKill).isLessThan(documents);

            archive.archiveOnly(changesAfterTheKill());
            long left = toCopyAfter(archive, alias, (String) atKill.get("last_doc_id"));

            List<String> again = new ArrayList<>(arguments);
            again.add("--resume");
            Process resumed = cli(again, "rebuild-resumed");
            assertThat(resumed.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(resumed.exitValue()).as("see target/daemons/rebuild-resumed.log").isZero();

            Map<String, Object> done = archive.rebuildRow();
            assertThat(done.get("phase")).isEqualTo("switched");
            assertThat(done.get("resumes")).isEqualTo(1);
            assertThat(done.get("run_base")).as("the resumed run began at the copied count").isEqualTo(copiedAtKill);
            assertThat((Long) done.get("copied") - copiedAtKill)
                    .as("the resumed run copied only what came after the last key").isEqualTo(left);
            assertThat(aliasTargets(elasticsearch, alias)).containsExactly(target);
            assertThat(elasticsearch.call("HEAD", "/" + old, null).statusCode()).as("the old index is kept")
                    .isEqualTo(200);
            Map<String, ArchiveFixture.Stored> archived = archive.archived();
            assertThat(archive.indexed(target, archived)).isEqualTo(archived);

            Process finished = cli(again, "rebuild-finished");
            assertThat(finished.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(finished.exitValue()).as("nothing to resume once switched").isEqualTo(4);
        } finally {
            elasticsearch.deleteIndex(old);
            elasticsearch.deleteIndex(target);
            postgres.dropSchema(schema);
        }
    }

    private static void fillArchive(ArchiveFixture archive, String alias, int documents) throws Exception {
        try (Connection connection = archive.connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO archive_document SELECT '" + alias + "', 'd' || lpad(i::text, 6, '0'), "
                    + "CASE WHEN i % 3 = 0 THEN 'r' || (i % 7) END, CASE WHEN i % 2 = 0 THEN i END, "
                    + "jsonb_build_object('name', 'Product ' || i || ' Édition', 'n', i), false, now(), 'test', "
                    + "nextval('archive_change_seq') FROM generate_series(1, " + documents + ") AS i");
        }
    }

    /** Updates before and after any resume point, deletes, and new documents. */
    private static List<ArchiveFixture.Change> changesAfterTheKill() {
        List<ArchiveFixture.Change> changes = new ArrayList<>();
        for (int i = 1; i <= 29_000; i += 500) {
            changes.add(new ArchiveFixture.Change(String.format("d%06d", i), null, Map.of("name", "changed", "n", i)));
            changes.add(new ArchiveFixture.Change(String.format("d%06d", i + 2), null, null));
        }
        for (int i = 0; i < 10; i++) {
            changes.add(new ArchiveFixture.Change("new" + i, 5L, Map.of("name", "new", "n", i)));
        }
        return changes;
    }

    /** The rows the backfill copies after the id: live documents and versioned tombstones. */
    private static long toCopyAfter(ArchiveFixture archive, String alias, String lastDocId) throws Exception {
        try (Connection connection = archive.connect(); var statement = connection.prepareStatement(
                "SELECT count(*) FROM archive_document WHERE index_name = ? AND (NOT deleted OR version IS NOT NULL) "
                        + "AND doc_id > ?")) {
            statement.setString(1, alias);
            statement.setString(2, lastDocId);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long copied(ArchiveFixture archive) throws Exception {
        Object copied = archive.rebuildRow().get("copied");
        return copied == null ? 0 : (Long) copied;
    }

    private static List<String> cliArguments(PostgresEndpoint postgres, String schema,
                                             ElasticsearchEndpoint elasticsearch, String alias) {
        List<String> arguments = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", DaemonProcess.runnableJar(Path.of(".."), "queue-indexer").toString(),
                "-Dloader.main=" + RebuildCommand.class.getName(),
                "org.springframework.boot.loader.launch.PropertiesLauncher", "--alias=" + alias,
                "--dynamic-index.indexer.elasticsearch.hosts=" + elasticsearch.url(),
                "--dynamic-index.indexer.rebuild.batch-size=100"));
        postgres.springProperties(schema).forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return arguments;
    }

    private static Process cli(List<String> command, String log) throws IOException {
        Path file = Path.of("target", "daemons", log + ".log");
        Files.createDirectories(file.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(file.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    private static List<String> aliasTargets(ElasticsearchEndpoint elasticsearch, String alias) {
        List<String> indices = new ArrayList<>();
        ArchiveFixture.JSON.readTree(elasticsearch.call("GET", "/_alias/" + alias, null).body()).propertyNames()
                .forEach(indices::add);
        return indices;
    }

    private static long hits(ElasticsearchEndpoint elasticsearch, String index, String query) {
        return ArchiveFixture.JSON.readTree(elasticsearch.call("POST", "/" + index + "/_search", query).body())
                .path("hits").path("total").path("value").asLong();
    }

    private static RebuildView view(String api, String alias) throws Exception {
        HttpResponse<String> response = get(api + "/" + alias);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ArchiveFixture.JSON.readValue(response.body(), RebuildView.class);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(RunTokens.asViewer(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String json, boolean operator) throws Exception {
        HttpRequest.Builder request = operator ? RunTokens.operatorWrite(URI.create(url), "POST", json)
                : RunTokens.asViewer(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = ArchiveFixture.JSON.readTree(response.body());
        assertThat(problem.path("detail").asString()).contains(detail);
    }
}
