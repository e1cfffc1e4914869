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

/**
 * Poison among good messages, replay of a fixed dead letter, PostgreSQL down while a dead letter is due, a pack that
 * cannot be read as a whole, and the per-queue guards (allowed indices, delete targets).
 */
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

    /**
     * A pack (a JSON array of changes) that cannot be read as a whole, as one change nested at the parser's depth
     * limit is one level too deep inside it, and one element is malformed: every good change is applied, each bad one
     * dead-lettered on its own with its own bytes, and a replay republishes just that change.
     */
    @Test
    void splitsAPackThatCannotBeReadAsAWholeAndDeadLettersEachBadChangeOnItsOwn() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String index = harness.index("pack");
            harness.elasticsearch.call("PUT", "/" + index, "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":"
                    + "{\"name\":{\"type\":\"keyword\"},\"n\":{\"type\":\"long\"}}}}");
            harness.start(harness.properties());
            // the change alone is 500 levels deep, Jackson's default limit: the array around it makes 501
            String deep = "{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"DEEP\",\"doc\":{\"n\":"
                    + "[".repeat(498) + "1" + "]".repeat(498) + "}}";
            String malformed = "{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"BAD\",\"doc\":{\"n\":01}}";
            String color = canonical(index, "COLOR", "{\"name\":\"shirt, red\",\"color\":\"red\"}");
            harness.publish(List.of("[" + canonical(index, "G1", "{\"name\":\"one\"}") + ",\n " + deep + ", "
                    + malformed + "," + color + " , " + canonical(index, "G2", "{\"name\":\"[two]\"}") + "]"));

            await().atMost(Duration.ofSeconds(60)).until(() -> harness.deadLetterTypes().size() == 2
                    && harness.settled() >= 5);
            assertThat(harness.elasticsearch.source(index, "G1")).isEqualTo("{\"name\":\"one\"}");
            assertThat(harness.elasticsearch.source(index, "G2")).isEqualTo("{\"name\":\"[two]\"}");
            assertThat(harness.elasticsearch.source(index, "DEEP")).isNotNull();
            JsonNode letters = get(harness.url() + "/api/v1/dead-letters?queue=" + harness.queue);
            assertThat(letter(letters, "malformed_json").path("message").asString()).isEqualTo(malformed);
            JsonNode mappingFailure = letter(letters, "strict_dynamic_mapping_exception");
            assertThat(mappingFailure.path("message").asString()).isEqualTo(color);

            harness.elasticsearch.call("PUT", "/" + index + "/_mapping",
                    "{\"properties\":{\"color\":{\"type\":\"keyword\"}}}");
            long applied = (long) harness.counter("dynamicindex.indexer.applied");
            assertThat(post(harness.url() + "/api/v1/dead-letters/" + mappingFailure.path("id").asLong() + "/replay")
                    .statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.elasticsearch.source(index, "COLOR") != null);
            assertThat((long) harness.counter("dynamicindex.indexer.applied")).isEqualTo(applied + 1);
            assertThat(harness.deadLetterTypes()).hasSize(2);
        }
    }

    /**
     * A queue's allow-list holds for every message on it, whatever published it: a change whose action, prevDelete
     * or triggerDelete touches another index is dead-lettered whole, and nothing of it is applied.
     */
    @Test
    void deadLettersAChangeTouchingAnIndexOutsideTheQueuesAllowList() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String own = harness.index("own");
            String other = harness.index("other");
            harness.elasticsearch.call("PUT", "/" + other + "/_doc/VICTIM?refresh=true", "{\"name\":\"theirs\"}");
            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".allowed-indices",
                    "not_this_one," + own.substring(0, own.length() - 2) + "*");
            harness.start(properties);
            String victim = "{\"index\":\"" + other + "\",\"id\":\"VICTIM\"}";
            harness.publish(List.of(canonical(own, "G1", "{\"name\":\"mine\"}"),
                    canonical(other, "VICTIM", "{\"name\":\"overwritten\"}"),
                    withField(canonical(own, "T", "{\"name\":\"t\"}"), "triggerDelete", "[" + victim + "]"),
                    withField(canonical(own, "P", "{\"name\":\"p\"}"), "prevDelete", "[" + victim + "]")));

            await().atMost(Duration.ofSeconds(60)).until(() -> harness.settled() >= 4);
            assertThat(harness.deadLetterTypes()).containsExactly("index_not_allowed", "index_not_allowed",
                    "index_not_allowed");
            JsonNode letters = get(harness.url() + "/api/v1/dead-letters?queue=" + harness.queue);
            assertThat(letters.findValuesAsString("reason")).allSatisfy(reason -> assertThat(reason)
                    .contains("index '" + other + "'").contains("allowed-indices"));
            assertThat(harness.documents(own)).containsOnlyKeys(own + "/G1");
            assertThat(harness.elasticsearch.source(other, "VICTIM")).isEqualTo("{\"name\":\"theirs\"}");
        }
    }

    /** A change listing more delete targets than allowed (100 by default) is dead-lettered whole, naming the field. */
    @Test
    void deadLettersAChangeWithMoreDeleteTargetsThanAllowed() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String index = harness.index("targets");
            harness.start(harness.properties());
            harness.publish(List.of(
                    withField(canonical(index, "MANY", "{\"name\":\"many\"}"), "triggerDelete", targets(index, 101)),
                    withField(canonical(index, "ENOUGH", "{\"name\":\"enough\"}"), "prevDelete", targets(index, 100))));

            await().atMost(Duration.ofSeconds(60)).until(() -> harness.settled() >= 2);
            assertThat(harness.deadLetterTypes()).containsExactly("too_many_delete_targets");
            JsonNode letters = get(harness.url() + "/api/v1/dead-letters?queue=" + harness.queue);
            assertThat(letters.get(0).path("reason").asString()).contains("'triggerDelete' has 101 targets")
                    .contains("100");
            assertThat(harness.documents(index)).containsOnlyKeys(index + "/ENOUGH");
        }
    }

    private static String targets(String index, int count) {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            list.append(i == 0 ? "" : ",").append("{\"index\":\"").append(index).append("\",\"id\":\"T")
                    .append(i).append("\"}");
        }
        return list.append("]").toString();
    }

    private static String withField(String change, String field, String value) {
        return change.substring(0, change.length() - 1) + ",\"" + field + "\":" + value + "}";
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
