package io.dynamicindex.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.indexer.config.Indexer;
import io.dynamicindex.indexer.config.IndexerPlan;
import io.dynamicindex.indexer.config.IndexerProperties.Archive;
import io.dynamicindex.indexer.config.IndexerProperties.QueueSettings;

/** The reference article's sample file starts the indexer unchanged, with its queues, threads and filters. */
class LegacySampleIT {

    @Test
    void startsWithTheLegacySampleFile() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            Map<String, String> properties = harness.properties();
            properties.remove("dynamic-index.indexer.queues." + harness.queue + ".consumers");
            properties.put("spring.config.additional-location",
                    "file:../config/legacy/indexer-legacy.properties");
            ConfigurableApplicationContext indexer = harness.start(properties);

            IndexerPlan plan = indexer.getBean(IndexerPlan.class);
            assertThat(plan.queues()).containsExactly(Map.entry("Q_INDEX1", new QueueSettings(2, "emptyFilter", Map.of(), Archive.OFF, null, null)),
                    Map.entry("Q_INDEX2", new QueueSettings(1, "emptyFilter", Map.of(), Archive.OFF, null, null)));
            assertThat(plan.workers()).isEqualTo(4);
            assertThat(plan.bulk().maxPoolSize()).isEqualTo(2);
            assertThat(indexer.getBean(Indexer.class).isRunning()).isTrue();
            harness.stopIndexer();
            deleteIfEmpty(harness, "Q_INDEX1", "Q_INDEX2");
        }
    }

    private static void deleteIfEmpty(IndexerHarness harness, String... queues) throws Exception {
        try (com.rabbitmq.client.Connection connection = harness.rabbit.connect()) {
            for (String queue : queues) {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(queue, false, true);
                } catch (java.io.IOException e) {
                    // holds messages this test did not put there: leave it
                }
            }
        }
    }
}
