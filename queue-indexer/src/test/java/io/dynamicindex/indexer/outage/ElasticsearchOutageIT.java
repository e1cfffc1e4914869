package io.dynamicindex.indexer.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.infra.TcpProxy;

/** Elasticsearch unreachable for 30 s while messages flow: nothing is dead-lettered, everything lands after. */
class ElasticsearchOutageIT {

    @Test
    void retriesThroughAThirtySecondOutageWithoutDeadLetters() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            URI elasticsearch = URI.create(harness.elasticsearch.url());
            try (TcpProxy proxy = new TcpProxy(elasticsearch.getHost(), elasticsearch.getPort())) {
                String index = harness.index("outage");
                Map<String, String> properties = harness.properties();
                properties.put("dynamic-index.indexer.elasticsearch.hosts", "http://127.0.0.1:" + proxy.port());
                properties.put("dynamic-index.indexer.buffer.max-size", "50");
                properties.put("dynamic-index.indexer.prefetch", "200");
                harness.start(properties);

                harness.publish(messages(index, 0, 500));
                await().atMost(Duration.ofSeconds(30)).until(() -> harness.elasticsearch.count(index) > 0);
                proxy.cut();
                harness.publish(messages(index, 500, 1500));
                await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(31)).until(() -> true);
                assertThat(harness.counter("dynamicindex.indexer.dead_lettered")).isZero();
                proxy.restore();

                await().atMost(Duration.ofSeconds(90)).until(() -> harness.elasticsearch.count(index) == 1500);
                assertThat(harness.deadLetterTypes()).isEmpty();
                assertThat(harness.counter("dynamicindex.indexer.bulk.retries")).isPositive();
            }
        }
    }

    @Test
    void stopsWithinTheShutdownTimeoutWhileElasticsearchIsDownAndLosesNothing() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            URI elasticsearch = URI.create(harness.elasticsearch.url());
            try (TcpProxy proxy = new TcpProxy(elasticsearch.getHost(), elasticsearch.getPort())) {
                String index = harness.index("shutdown");
                Map<String, String> properties = harness.properties();
                properties.put("dynamic-index.indexer.elasticsearch.hosts", "http://127.0.0.1:" + proxy.port());
                properties.put("dynamic-index.indexer.shutdown-timeout", "3s");
                harness.start(properties);
                proxy.cut();
                harness.publish(messages(index, 0, 300));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> harness.counter("dynamicindex.indexer.bulk.retries") > 0);

                long started = System.nanoTime();
                harness.stopIndexer();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
                assertThat(harness.queueDepth()).isEqualTo(300);
            }
        }
    }

    private static List<String> messages(String index, int from, int to) {
        List<String> messages = new ArrayList<>();
        for (int i = from; i < to; i++) {
            messages.add("{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"P" + i
                    + "\",\"doc\":{\"n\":" + i + "}}");
        }
        return messages;
    }
}
