package io.dynamicindex.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The canonical actions against real RabbitMQ, Elasticsearch and PostgreSQL, in the examples of DESIGN.md. */
@Tag("compat")
class QueueIndexerIT {

    @Test
    void appliesOperationsOnOneDocumentInQueueOrder() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String index = harness.index("idx");
            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.workers", "3");
            harness.start(properties);
            harness.publish(List.of(
                    canonical(index, "index", "P1", "{\"price\":1}"),
                    "{\"action\":\"delete\",\"index\":\"" + index + "\",\"id\":\"P1\"}",
                    canonical(index, "index", "P1", "{\"price\":3}"),
                    canonical(index, "update", "P1", "{\"name\":\"x\"}"),
                    canonical(index, "index", "P2", "{\"price\":2}"),
                    "{\"action\":\"delete\",\"index\":\"" + index + "\",\"id\":\"P2\"}",
                    canonical(index, "update", "U", "{\"price\":9}").replace("}}", "},\"upsert\":true}"),
                    "{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"V\",\"version\":5,\"doc\":{\"price\":5}}",
                    "{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"V\",\"version\":4,\"doc\":{\"price\":4}}"));

            await().atMost(Duration.ofSeconds(30)).until(() -> harness.settled() >= 9);
            assertThat(harness.elasticsearch.source(index, "P1")).isEqualTo("{\"price\":3,\"name\":\"x\"}");
            assertThat(harness.elasticsearch.source(index, "P2")).isNull();
            assertThat(harness.elasticsearch.source(index, "U")).isEqualTo("{\"price\":9}");
            assertThat(harness.elasticsearch.source(index, "V")).isEqualTo("{\"price\":5}");
            assertThat(harness.counter("dynamicindex.indexer.stale")).isEqualTo(1);
            assertThat(harness.deadLetterTypes()).isEmpty();
        }
    }

    @Test
    void appliesEveryCanonicalMessageOfAnArrayAndAcknowledgesTheDeliveryOnce() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String index = harness.index("array");
            harness.start(harness.properties());
            harness.publish(List.of("[" + canonical(index, "index", "A1", "{\"n\":1}") + ","
                    + canonical(index, "index", "A2", "{\"n\":2}") + ","
                    + "{\"action\":\"delete\",\"index\":\"" + index + "\",\"id\":\"A1\"}]"));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> harness.counter("dynamicindex.indexer.acknowledged") == 1);
            assertThat(harness.elasticsearch.source(index, "A1")).isNull();
            assertThat(harness.elasticsearch.source(index, "A2")).isEqualTo("{\"n\":2}");
            assertThat(harness.counter("dynamicindex.indexer.applied")).isEqualTo(3);
        }
    }

    private static String canonical(String index, String action, String id, String doc) {
        return "{\"action\":\"" + action + "\",\"index\":\"" + index + "\",\"id\":\"" + id + "\",\"doc\":" + doc + "}";
    }
}
