package io.dynamicindex.indexer.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.indexer.order.GeneratedMessage;
import io.dynamicindex.indexer.order.RandomWorkload;
import io.dynamicindex.indexer.order.SequentialModel;
import io.dynamicindex.infra.RunTokens;

/**
 * The rebuild behind the real indexer with the archive on: random canonical messages (index, update, upsert, delete,
 * prev- and trigger-deletes, versioned documents) flow through an archived queue while the index they write is
 * rebuilt and its name becomes an alias of the new index; the indexer ends where sequential application ends, through
 * the alias, and so does the archive.
 */
class RebuildLiveIndexerIT {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildLiveIndexerIT.class);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int MESSAGES = 6000;

    @Test
    void endsWhereSequentialApplicationEndsWithTheIndexRebuiltMidStream() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String products = harness.index("products");
            String unmatched = harness.index("unmatched");
            List<GeneratedMessage> messages = new RandomWorkload(5, products, unmatched).messages(MESSAGES);
            SequentialModel model = new SequentialModel();
            messages.forEach(model::apply);

            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.workers", "3");
            properties.put("dynamic-index.indexer.buffer.max-size", "20");
            properties.put("dynamic-index.indexer.buffer.max-interval", "20ms");
            properties.put("dynamic-index.indexer.prefetch", "100");
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".archive.enabled", "true");
            harness.start(properties);
            harness.publish(messages.stream().map(GeneratedMessage::toJson).toList());
            await().atMost(Duration.ofSeconds(60)).until(() -> harness.settled() >= 300);

            String api = harness.url() + "/api/v1/rebuilds";
            HttpResponse<String> start = HTTP.send(RunTokens.operatorWrite(URI.create(api), "POST", "{\"alias\":\""
                    + products + "\",\"settings\":{\"settings\":{\"number_of_shards\":2}}}").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
            RebuildView started = ArchiveFixture.JSON.readValue(start.body(), RebuildView.class);
            harness.indices.add(started.targetIndex());
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "switched".equals(view(api, products).phase()));
            LOG.info("alias switched after {} of {} messages settled", harness.settled(), MESSAGES);

            await().atMost(Duration.ofSeconds(180)).until(() -> harness.settled() >= MESSAGES);
            Map<String, Map<String, Object>> indexed = new HashMap<>(harness.documents(products));
            indexed.putAll(harness.documents(unmatched));
            assertThat(indexed).isEqualTo(model.documents());
            Map<String, Map<String, Object>> archived = new HashMap<>(harness.archivedDocuments(products));
            archived.putAll(harness.archivedDocuments(unmatched));
            assertThat(archived).isEqualTo(model.documents());
            assertThat(harness.elasticsearch.call("GET", "/_alias/" + products, null).body())
                    .startsWith("{\"" + started.targetIndex() + "\"");
        }
    }

    /**
     * The new index equals the old one document by document (_id, _routing, _source, and _version where external
     * versions are used) after the changes the archive once got wrong: a versioned change Elasticsearch refuses as
     * stale because an unversioned write raised the document's version, an unversioned update that changes nothing
     * (Elasticsearch answers {@code noop} and keeps the version), a routed document indexed again without routing,
     * and a versioned delete followed by an older versioned index; and after the switch the new index
     * refuses an older version of the deleted document as the old one does, since the tombstone was carried.
     */
    @Test
    void rebuildsWhatTheLiveIndexHoldsAfterStaleRoutedAndDeletedChanges() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String alias = harness.index("exact");
            String old = alias + "-v1";
            String rebuilt = alias + "-v2";
            harness.indices.addAll(List.of(old, rebuilt));
            assertThat(harness.elasticsearch.call("PUT", "/" + old, "{\"settings\":{\"number_of_shards\":1},"
                    + "\"aliases\":{\"" + alias + "\":{}}}").statusCode()).isEqualTo(200);
            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".archive.enabled", "true");
            harness.start(properties);
            harness.publish(List.of(change(alias, "index", "V", 10L, null, 1), change(alias, "index", "V", null,
                            null, 2), change(alias, "index", "V", 11L, null, 3),
                    change(alias, "index", "R", null, "r1", 1), change(alias, "index", "R", null, null, 2),
                    change(alias, "index", "D", 5L, null, 1), change(alias, "delete", "D", 10L, null, 0),
                    change(alias, "index", "D", 8L, null, 2), change(alias, "index", "P", null, null, 1),
                    change(alias, "update", "V", null, null, 2)));
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.settled() >= 10);
            Map<String, Map<String, Object>> live = exact(harness, old, Set.of("V", "D"));
            assertThat(live).containsOnlyKeys("V", "R", "P");
            assertThat(live.get("V")).as("the no-op update kept V's version").containsEntry("_version", 11L);

            String api = harness.url() + "/api/v1/rebuilds";
            HttpResponse<String> start = HTTP.send(RunTokens.operatorWrite(URI.create(api), "POST", "{\"alias\":\""
                    + alias + "\",\"targetIndex\":\"" + rebuilt + "\",\"settings\":{\"settings\":"
                    + "{\"number_of_shards\":1}}}").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "switched".equals(view(api, alias).phase()));
            assertThat(exact(harness, rebuilt, Set.of("V", "D"))).isEqualTo(live);

            harness.publish(List.of(change(alias, "index", "D", 9L, null, 4)));
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.settled() >= 11);
            assertThat(exact(harness, rebuilt, Set.of("V", "D"))).as("the deleted D does not come back")
                    .isEqualTo(live);
        }
    }

    private static String change(String index, String action, String id, Long version, String routing, int n) {
        return "{\"action\":\"" + action + "\",\"index\":\"" + index + "\",\"id\":\"" + id + "\""
                + (version == null ? "" : ",\"version\":" + version)
                + (routing == null ? "" : ",\"routing\":\"" + routing + "\"")
                + (action.equals("delete") ? "" : ",\"doc\":{\"n\":" + n + "}") + "}";
    }

    /** Each document of the index by id: its _routing and _source, and its _version when its id is versioned. */
    private static Map<String, Map<String, Object>> exact(IndexerHarness harness, String index,
                                                          Set<String> versioned) {
        harness.elasticsearch.call("POST", "/" + index + "/_refresh", null);
        JsonNode hits = IndexerHarness.JSON.readTree(harness.elasticsearch.call("POST", "/" + index + "/_search",
                "{\"size\":100,\"version\":true}").body()).path("hits").path("hits");
        Map<String, Map<String, Object>> documents = new HashMap<>();
        for (JsonNode hit : hits) {
            String id = hit.path("_id").asString();
            Map<String, Object> document = new HashMap<>();
            document.put("_routing", hit.path("_routing").isMissingNode() ? null : hit.path("_routing").asString());
            document.put("_source", hit.path("_source").toString());
            document.put("_version", versioned.contains(id) ? hit.path("_version").asLong() : null);
            documents.put(id, document);
        }
        return documents;
    }

    private static RebuildView view(String api, String alias) throws Exception {
        HttpResponse<String> response = HTTP.send(RunTokens.asViewer(URI.create(api + "/" + alias)).build(),
                HttpResponse.BodyHandlers.ofString());
        return ArchiveFixture.JSON.readValue(response.body(), RebuildView.class);
    }
}
