package io.dynamicindex.indexer.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.infra.RunTokens;
import io.dynamicindex.infra.TcpProxy;

/** Poison among good messages, replay of a fixed dead letter, and PostgreSQL down while a dead letter is due. */
class DeadLetterIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void deadLettersPoisonWithItsReasonWhileGoodMessagesFlowAndReplaysAFixedOne() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String index = harness.index("strict");
            harness.elasticsearch.call("PUT", "/" + index, "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":"
                    + "{\"name\":{\"type\":\"keyword\"}}}}");
            harness.start(harness.properties());
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                messages.add(canonical(index, "G" + i, "{\"name\":\"good " + i + "\"}"));
                if (i == 30) {
                    messages.add("{\"action\":\"index\", \"id\": ");
                    messages.add("{\"action\":\"merge\",\"index\":\"" + index + "\",\"id\":\"M\"}");
                    messages.add(canonical(index, "COLOR", "{\"name\":\"shirt\",\"color\":\"red\"}"));
                }
            }
            harness.publish(messages);

            await().atMost(Duration.ofSeconds(60)).until(() -> harness.settled() >= messages.size());
            assertThat(harness.elasticsearch.count(index)).isEqualTo(100);
            JsonNode letters = get(harness.url() + "/api/v1/dead-letters?queue=" + harness.queue);
            assertThat(letters).hasSize(3);
            await().atMost(Duration.ofSeconds(10)).until(() -> payloadReads(harness).contains(
                    RunTokens.VIEWER_NAME + " /api/v1/dead-letters?queue=" + harness.queue + " rows=3"));
            assertThat(letters.findValuesAsString("errorType")).containsExactlyInAnyOrder("malformed_json",
                    "rejected", "strict_dynamic_mapping_exception");
            assertThat(letter(letters, "rejected").path("reason").asString()).contains("unknown action 'merge'");
            JsonNode mappingFailure = letter(letters, "strict_dynamic_mapping_exception");
            assertThat(mappingFailure.path("documentId").asString()).isEqualTo("COLOR");

            harness.elasticsearch.call("PUT", "/" + index + "/_mapping",
                    "{\"properties\":{\"color\":{\"type\":\"keyword\"}}}");
            long id = mappingFailure.path("id").asLong();
            assertThat(post(harness.url() + "/api/v1/dead-letters/" + id + "/replay").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(30)).until(() -> harness.elasticsearch.source(index, "COLOR") != null);
            assertThat(get(harness.url() + "/api/v1/dead-letters?replayed=true&queue=" + harness.queue))
                    .singleElement().satisfies(letter -> assertThat(letter.path("id").asLong()).isEqualTo(id));
            assertThat(delete(harness.url() + "/api/v1/dead-letters?replayed=true&queue=" + harness.queue
                    + "&confirm=true").body()).contains("\"purged\":1");
        }
    }

    @Test
    void purgesOnlyWithAFilterAndAConfirmationAndCountsOnADryRun() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String index = harness.index("purge");
            harness.start(harness.properties());
            harness.publish(List.of("{\"action\":\"index\", \"id\": ",
                    "{\"action\":\"merge\",\"index\":\"" + index + "\",\"id\":\"M\"}"));
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.deadLetterTypes().size() == 2);
            String purge = harness.url() + "/api/v1/dead-letters";

            HttpResponse<String> unfiltered = delete(purge);
            assertThat(unfiltered.statusCode()).isEqualTo(400);
            assertThat(unfiltered.body()).contains("Purge needs a filter").contains("queue, errorType or replayed");

            HttpResponse<String> dryRun = delete(purge + "?queue=" + harness.queue + "&dryRun=true");
            assertThat(dryRun.statusCode()).isEqualTo(200);
            JsonNode counted = IndexerHarness.JSON.readTree(dryRun.body());
            assertThat(counted.path("dryRun").asBoolean()).isTrue();
            assertThat(counted.path("matching").asLong()).isEqualTo(2);

            HttpResponse<String> unconfirmed = delete(purge + "?queue=" + harness.queue);
            assertThat(unconfirmed.statusCode()).isEqualTo(400);
            JsonNode refused = IndexerHarness.JSON.readTree(unconfirmed.body());
            assertThat(refused.path("matching").asLong()).isEqualTo(2);
            assertThat(refused.path("detail").asString()).contains("add confirm=true");
            assertThat(harness.deadLetterTypes()).hasSize(2);

            HttpResponse<String> confirmed = delete(purge + "?queue=" + harness.queue + "&confirm=true");
            assertThat(confirmed.statusCode()).isEqualTo(200);
            assertThat(IndexerHarness.JSON.readTree(confirmed.body()).path("purged").asInt()).isEqualTo(2);
            assertThat(harness.deadLetterTypes()).isEmpty();
        }
    }

    @Test
    void keepsTheMessageWhilePostgresCannotTakeItsDeadLetter() throws Exception {
        try (IndexerHarness harness = new IndexerHarness();
             TcpProxy database = new TcpProxy("127.0.0.1", port(harness.postgres.jdbcUrl()))) {
            String index = harness.index("pgdown");
            Map<String, String> properties = harness.properties();
            properties.put("spring.datasource.url", properties.get("spring.datasource.url")
                    .replaceFirst(":\\d+/", ":" + database.port() + "/"));
            harness.start(properties);

            database.cut();
            harness.publish(List.of("{\"action\":\"explode\",\"index\":\"" + index + "\",\"id\":\"X\"}",
                    canonical(index, "OK", "{\"name\":\"fine\"}")));
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.elasticsearch.source(index, "OK") != null);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> harness.counter("dynamicindex.indexer.dead_lettered") == 0);

            database.restore();
            await().atMost(Duration.ofSeconds(60)).until(() -> harness.deadLetterTypes().equals(List.of("rejected")));
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.settled() >= 2);
        }
    }

    /** The audit trail's payload reads: actor, path, query and rows returned. */
    private static List<String> payloadReads(IndexerHarness harness) throws Exception {
        List<String> reads = new ArrayList<>();
        try (Connection connection = harness.postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT actor, data FROM \"" + harness.schema
                     + "\".management_audit WHERE type = 'PAYLOAD_READ'")) {
            while (rows.next()) {
                JsonNode data = IndexerHarness.JSON.readTree(rows.getString("data"));
                reads.add(rows.getString("actor") + " " + data.path("path").asString() + "?"
                        + data.path("query").asString() + " rows=" + data.path("rows").asInt());
            }
        }
        return reads;
    }

    private static JsonNode letter(JsonNode letters, String errorType) {
        for (JsonNode letter : letters) {
            if (letter.path("errorType").asString().equals(errorType)) {
                return letter;
            }
        }
        throw new AssertionError("no dead letter of type " + errorType + " in " + letters);
    }

    private static int port(String jdbcUrl) {
        return Integer.parseInt(jdbcUrl.replaceFirst(".*://[^:/]+:(\\d+)/.*", "$1"));
    }

    static String canonical(String index, String id, String doc) {
        return "{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"" + id + "\",\"doc\":" + doc + "}";
    }

    private static JsonNode get(String url) throws Exception {
        return IndexerHarness.JSON.readTree(HTTP.send(RunTokens.asViewer(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static HttpResponse<String> delete(String url) throws Exception {
        return HTTP.send(RunTokens.asOperator(URI.create(url)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url) throws Exception {
        return HTTP.send(RunTokens.operatorWrite(URI.create(url), "POST", "").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
