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

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static RebuildView view(String api, String alias) throws Exception {
        HttpResponse<String> response = HTTP.send(RunTokens.asViewer(URI.create(api + "/" + alias)).build(),
                HttpResponse.BodyHandlers.ofString());
        return ArchiveFixture.JSON.readValue(response.body(), RebuildView.class);
    }
}
