package io.dynamicindex.indexer.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.infra.HttpFaultProxy;
import io.dynamicindex.infra.TcpProxy;

/**
 * While Elasticsearch answers 503, the indexer's broker connection is closed under it three times (as RabbitMQ
 * does after consumer_timeout, or on a network cut): what was buffered from a closed channel is discarded before its
 * redeliveries arrive, so the buffer never holds more than the prefetch, and once Elasticsearch answers again every
 * message is applied, none more than twice.
 */
class ChannelCloseIT {

    private static final int MESSAGES = 300;
    private static final int PREFETCH = 100;

    @Test
    void keepsTheBufferWithinThePrefetchAcrossRepeatedChannelClosesMidOutage() throws Exception {
        try (IndexerHarness harness = new IndexerHarness();
             HttpFaultProxy gateway = new HttpFaultProxy(harness.elasticsearch.url());
             TcpProxy broker = new TcpProxy(harness.rabbit.host(), harness.rabbit.port())) {
            String index = harness.index("closes");
            Map<String, String> properties = harness.properties();
            properties.put("spring.rabbitmq.port", String.valueOf(broker.port()));
            properties.put("dynamic-index.indexer.elasticsearch.hosts", gateway.url());
            properties.put("dynamic-index.indexer.workers", "2");
            properties.put("dynamic-index.indexer.buffer.max-size", "20");
            properties.put("dynamic-index.indexer.prefetch", String.valueOf(PREFETCH));
            properties.put("dynamic-index.indexer.retry.max-backoff", "300ms");
            gateway.failBulks(503, "application/json", "{\"error\":\"unavailable\",\"status\":503}");
            harness.start(properties);
            harness.publish(messages(index));

            AtomicLong largestBuffer = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> sample(harness, largestBuffer, sampling), "buffer-sampler");
            sampler.start();
            for (int close = 0; close < 3; close++) {
                await().atMost(Duration.ofSeconds(30)).until(() -> harness.gauge("dynamicindex.indexer.buffer.fill",
                        "queue", harness.queue) >= PREFETCH - 2 * 20);
                broker.cut();
                broker.restore();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.gauge("dynamicindex.indexer.buffer.fill",
                    "queue", harness.queue) > 0);
            gateway.forward();

            await().atMost(Duration.ofSeconds(90)).until(() -> harness.elasticsearch.count(index) == MESSAGES
                    && harness.queueDepth() == 0);
            sampling.set(false);
            sampler.join();
            assertThat(largestBuffer.get()).isLessThanOrEqualTo(PREFETCH);
            assertThat(gateway.forwardedById()).hasSize(MESSAGES).allSatisfy((id, times) ->
                    assertThat(times).as("operations on %s that reached Elasticsearch", id).isBetween(1, 2));
            assertThat(harness.deadLetterTypes()).isEmpty();
        }
    }

    private static void sample(IndexerHarness harness, AtomicLong largest, AtomicBoolean sampling) {
        while (sampling.get()) {
            double fill = harness.gauge("dynamicindex.indexer.buffer.fill", "queue", harness.queue);
            if (!Double.isNaN(fill)) {
                largest.accumulateAndGet((long) fill, Math::max);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static List<String> messages(String index) {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            messages.add("{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"M" + i + "\",\"doc\":{\"n\":"
                    + i + "}}");
        }
        return messages;
    }
}
