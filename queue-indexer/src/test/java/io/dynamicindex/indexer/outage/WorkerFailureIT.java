package io.dynamicindex.indexer.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.indexer.filter.EmptyFilter;
import io.dynamicindex.indexer.filter.FilterResult;
import io.dynamicindex.indexer.filter.MessageFilter;
import io.dynamicindex.indexer.filter.PartnerMessage;
import io.dynamicindex.indexer.order.GeneratedMessage;
import io.dynamicindex.indexer.order.RandomWorkload;
import io.dynamicindex.indexer.order.SequentialModel;

/**
 * A worker meets an Error it does not expect on the batch path (here an OutOfMemoryError thrown by a filter, once):
 * its supervisor gives the batch back to the broker by closing its channel, frees its documents and goes on, so the
 * queue recovers by itself and still ends exactly where sequential application ends.
 */
class WorkerFailureIT {

    private static final int MESSAGES = 200;

    @Test
    void aWorkerThatFailsUnexpectedlyRecoversWithOrderIntact() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String products = harness.index("products");
            String unmatched = harness.index("unmatched");
            List<GeneratedMessage> messages = new RandomWorkload(5, products, unmatched).messages(MESSAGES);
            SequentialModel model = new SequentialModel();
            messages.forEach(model::apply);
            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".filter", "failsOnce");
            properties.put("dynamic-index.indexer.workers", "2");
            properties.put("dynamic-index.indexer.buffer.max-size", "10");
            properties.put("dynamic-index.indexer.buffer.max-interval", "30ms");
            properties.put("dynamic-index.indexer.prefetch", "50");
            harness.start(properties, FailsOnce.class);
            harness.publish(messages.stream().map(GeneratedMessage::toJson).toList());

            // redelivered messages are settled twice, so the end is when Elasticsearch matches and the queue is empty
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                Map<String, Map<String, Object>> indexed = new HashMap<>(harness.documents(products));
                indexed.putAll(harness.documents(unmatched));
                assertThat(indexed).isEqualTo(model.documents());
                assertThat(harness.queueDepth()).isZero();
            });
            assertThat(harness.counter("dynamicindex.indexer.worker.failures")).isEqualTo(1);
            assertThat(harness.deadLetterTypes()).containsOnly("document_missing_exception");
        }
    }

    /** The canonical filter, except that its third batch throws an OutOfMemoryError. */
    @Configuration(proxyBeanMethods = false)
    static class FailsOnce {

        @Bean
        MessageFilter failsOnce() {
            EmptyFilter canonical = new EmptyFilter();
            AtomicInteger calls = new AtomicInteger();
            return new MessageFilter() {
                @Override
                public List<FilterResult> apply(List<PartnerMessage> batch) {
                    if (calls.incrementAndGet() == 3) {
                        throw new OutOfMemoryError("simulated: Java heap space while building a batch");
                    }
                    return canonical.apply(batch);
                }
            };
        }
    }
}
