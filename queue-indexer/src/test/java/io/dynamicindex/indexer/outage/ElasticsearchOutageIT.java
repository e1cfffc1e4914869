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
import io.dynamicindex.indexer.health.PipelineState;
import io.dynamicindex.infra.TcpProxy;

/**
 * Elasticsearch unreachable through several retries, or silent on its open connections, while messages flow:
 * nothing is dead-lettered, everything lands after.
 */
class ElasticsearchOutageIT {

    @Test
    void retriesThroughAnOutageOfSeveralBackOffsWithoutDeadLetters() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            URI elasticsearch = URI.create(harness.elasticsearch.url());
            try (TcpProxy proxy = new TcpProxy(elasticsearch.getHost(), elasticsearch.getPort())) {
                String index = harness.index("outage");
                Map<String, String> properties = throughProxy(harness, proxy);
                properties.put("dynamic-index.indexer.retry.max-backoff", "1s");
                harness.start(properties);

                harness.publish(messages(index, 0, 500));
                await().atMost(Duration.ofSeconds(30)).until(() -> harness.elasticsearch.count(index) > 0);
                proxy.cut();
                harness.publish(messages(index, 500, 1500));
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> harness.counter("dynamicindex.indexer.bulk.retries") >= 8);
                assertThat(harness.state()).isEqualTo(PipelineState.BACKING_OFF);
                assertThat(harness.counter("dynamicindex.indexer.dead_lettered")).isZero();
                proxy.restore();

                await().atMost(Duration.ofSeconds(90)).until(() -> harness.elasticsearch.count(index) == 1500);
                assertThat(harness.deadLetterTypes()).isEmpty();
                assertThat(harness.counter("dynamicindex.indexer.bulk.retries")).isPositive();
            }
        }
    }

    /**
     * Elasticsearch goes silent on the connections it holds (a partition, a frozen node): no answer, no reset. Each
     * bulk in flight ends at the client's socket timeout and is retried; the queue backs off and says why, nothing is
     * acknowledged or dead-lettered meanwhile, and everything lands once Elasticsearch answers again.
     */
    @Test
    void boundsEachBulkToASilentElasticsearchByTheSocketTimeoutAndLosesNothing() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            URI elasticsearch = URI.create(harness.elasticsearch.url());
            try (TcpProxy proxy = new TcpProxy(elasticsearch.getHost(), elasticsearch.getPort())) {
                String index = harness.index("silent");
                Map<String, String> properties = throughProxy(harness, proxy);
                properties.put("dynamic-index.indexer.elasticsearch.socket-timeout", "2s");
                properties.put("dynamic-index.indexer.retry.max-backoff", "500ms");
                harness.start(properties);

                harness.publish(messages(index, 0, 500));
                await().atMost(Duration.ofSeconds(30)).until(() -> harness.elasticsearch.count(index) > 0);
                proxy.freeze();
                long frozenAt = System.nanoTime();
                harness.publish(messages(index, 500, 1000));
                await().atMost(Duration.ofSeconds(10)).until(() -> harness.state() == PipelineState.BACKING_OFF);
                assertThat(Duration.ofNanos(System.nanoTime() - frozenAt)).as("noticed within the socket timeout")
                        .isLessThan(Duration.ofSeconds(6));
                assertThat(harness.reason()).as("the reason says the bulk timed out").containsIgnoringCase("timeout");
                double settled = harness.settled();
                await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
                assertThat(harness.settled()).as("nothing settles while Elasticsearch is silent").isEqualTo(settled);
                assertThat(harness.state()).isEqualTo(PipelineState.BACKING_OFF);
                proxy.restore();

                await().atMost(Duration.ofSeconds(60)).until(() -> harness.elasticsearch.count(index) == 1000);
                assertThat(harness.deadLetterTypes()).isEmpty();
                await().atMost(Duration.ofSeconds(10)).until(() -> harness.settled() == 1000);
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

    /** The harness's properties with Elasticsearch behind the proxy, batches of 50, prefetch 200. */
    private static Map<String, String> throughProxy(IndexerHarness harness, TcpProxy proxy) {
        Map<String, String> properties = harness.properties();
        properties.put("dynamic-index.indexer.elasticsearch.hosts", "http://127.0.0.1:" + proxy.port());
        properties.put("dynamic-index.indexer.buffer.max-size", "50");
        properties.put("dynamic-index.indexer.prefetch", "200");
        return properties;
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
