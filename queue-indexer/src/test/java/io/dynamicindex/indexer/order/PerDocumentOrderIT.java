package io.dynamicindex.indexer.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.dynamicindex.indexer.IndexerHarness;

/**
 * Property: for random canonical messages over a small key space in two indices, Elasticsearch ends exactly where
 * applying them one at a time in queue order ends, although several workers apply small batches in five phases; and
 * so does the archive, when it is on.
 */
class PerDocumentOrderIT {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42})
    void endsWhereSequentialApplicationEnds(long seed) throws Exception {
        run(seed, false);
    }

    /** The same property with the archive on: the archive also ends where the model ends. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 11})
    void archiveEndsWhereSequentialApplicationEnds(long seed) throws Exception {
        run(seed, true);
    }

    private static void run(long seed, boolean archive) throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String products = harness.index("products");
            String unmatched = harness.index("unmatched");
            List<GeneratedMessage> messages = new RandomWorkload(seed, products, unmatched).messages(400);
            SequentialModel model = new SequentialModel();
            messages.forEach(model::apply);

            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.workers", "3");
            properties.put("dynamic-index.indexer.buffer.max-size", "7");
            properties.put("dynamic-index.indexer.buffer.max-interval", "30ms");
            properties.put("dynamic-index.indexer.prefetch", "50");
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".archive.enabled", "" + archive);
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".archive.change-log", "" + archive);
            harness.start(properties);
            harness.publish(messages.stream().map(GeneratedMessage::toJson).toList());

            await().atMost(Duration.ofSeconds(90)).until(() -> harness.settled() >= messages.size());
            Map<String, Map<String, Object>> indexed = new HashMap<>(harness.documents(products));
            indexed.putAll(harness.documents(unmatched));
            assertThat(indexed).as("seed %d", seed).isEqualTo(model.documents());
            if (archive) {
                Map<String, Map<String, Object>> archived = new HashMap<>(harness.archivedDocuments(products));
                archived.putAll(harness.archivedDocuments(unmatched));
                assertThat(archived).as("archive, seed %d", seed).isEqualTo(model.documents());
            }
        }
    }
}
