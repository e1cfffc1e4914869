package io.dynamicindex.indexer.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.infra.TcpProxy;

/**
 * The broker closes the indexer's connection mid-stream (as consumer_timeout or a broker restart would): the
 * unacknowledged deliveries return to the queue, the consumer subscribes again, and nothing is missing after.
 */
class BrokerConnectionLossIT {

    @Test
    void subscribesAgainAfterTheConnectionIsCutAndLosesNothing() throws Exception {
        try (IndexerHarness harness = new IndexerHarness();
             TcpProxy broker = new TcpProxy(harness.rabbit.host(), harness.rabbit.port())) {
            String index = harness.index("reconnect");
            Map<String, String> properties = harness.properties();
            properties.put("spring.rabbitmq.port", String.valueOf(broker.port()));
            properties.put("dynamic-index.indexer.buffer.max-size", "20");
            properties.put("dynamic-index.indexer.buffer.max-interval", "20ms");
            properties.put("dynamic-index.indexer.prefetch", "100");
            harness.start(properties);
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                messages.add("{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"P" + i
                        + "\",\"doc\":{\"n\":" + i + "}}");
            }
            harness.publish(messages);

            await().atMost(Duration.ofSeconds(30)).until(() -> harness.counter("dynamicindex.indexer.acknowledged") > 100);
            broker.cut();
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
            broker.restore();

            await().atMost(Duration.ofSeconds(90)).until(() -> harness.elasticsearch.count(index) == 3000
                    && harness.queueDepth() == 0);
            assertThat(harness.deadLetterTypes()).isEmpty();
        }
    }
}
