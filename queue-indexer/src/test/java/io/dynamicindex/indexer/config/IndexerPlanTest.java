package io.dynamicindex.indexer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.dynamicindex.indexer.config.IndexerProperties.Archive;
import io.dynamicindex.indexer.config.IndexerProperties.QueueSettings;

class IndexerPlanTest {

    private static final Set<String> FILTERS = Set.of("emptyFilter", "tshopFeedFilter");

    @Test
    void resolvesTheLegacySampleFile() throws IOException {
        Properties sample = new Properties();
        try (Reader reader = new FileReader("../config/legacy/indexer-legacy.properties")) {
            sample.load(reader);
        }
        Map<String, String> properties = new HashMap<>();
        sample.stringPropertyNames().forEach(name -> properties.put(name, sample.getProperty(name)));

        IndexerPlan plan = resolve(properties);

        assertThat(plan.queues()).containsExactly(Map.entry("Q_INDEX1", new QueueSettings(2, "emptyFilter", Map.of(), Archive.OFF, null, null)),
                Map.entry("Q_INDEX2", new QueueSettings(1, "emptyFilter", Map.of(), Archive.OFF, null, null)));
        assertThat(plan.workers()).isEqualTo(4);
        assertThat(plan.buffer().maxSize()).isEqualTo(500);
        assertThat(plan.buffer().maxInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(plan.bulk()).isEqualTo(new IndexerProperties.BulkPool(2, 2, 50));
    }

    @Test
    void resolvesStructuredQueuesWithDefaults() {
        IndexerPlan plan = resolve(Map.of("dynamic-index.indexer.queues.Q1.filter", "tshopFeedFilter"));
        assertThat(plan.queues()).containsEntry("Q1", new QueueSettings(1, "tshopFeedFilter", Map.of(), Archive.OFF, null, null));
        assertThat(plan.workers()).isEqualTo(2);
        assertThat(plan.prefetch()).isEqualTo(2000);
        assertThat(plan.buffer().maxSize()).isEqualTo(500);
    }

    @Test
    void refusesAPrefetchSmallerThanTheBatch() {
        assertThatThrownBy(() -> resolve(Map.of("dynamic-index.indexer.prefetch", "100",
                "dynamic-index.indexer.buffer.max-size", "500")))
                .hasMessageContaining("dynamic-index.indexer.prefetch=100 is smaller than the buffer max-size=500");
    }

    @Test
    void refusesAnUnknownFilter() {
        assertThatThrownBy(() -> resolve(Map.of("indexer.input.queue", "Q1", "queue.filter", "{Q1: \"nope\"}")))
                .hasMessageContaining("the filter of queue Q1 is 'nope', which names no filter");
    }

    @Test
    void refusesAThreadCountThatIsNotAMap() {
        assertThatThrownBy(() -> resolve(Map.of("indexer.input.queue", "Q1", "indexer.input.thread-count", "2")))
                .hasMessageContaining("indexer.input.thread-count='2' is not a map");
        assertThatThrownBy(() -> resolve(Map.of("indexer.input.queue", "Q1",
                "indexer.input.thread-count", "{Q1: \"zero\"}")))
                .hasMessageContaining("indexer.input.thread-count[Q1]='zero' must be a positive number");
    }

    @Test
    void refusesAnArticleMapEntryForAQueueThatIsNotConfigured() {
        assertThatThrownBy(() -> resolve(Map.of("indexer.input.queue", "Q1",
                "indexer.input.thread-count", "{Q1: \"2\", Q_TYPO: \"4\"}")))
                .hasMessageContaining("indexer.input.thread-count[Q_TYPO]").hasMessageContaining("indexer.input.queue");
        assertThatThrownBy(() -> resolve(Map.of("indexer.input.queue", "Q1",
                "queue.filter", "{Q2: \"tshopFeedFilter\"}")))
                .hasMessageContaining("queue.filter[Q2]").hasMessageContaining("indexer.input.queue");
    }

    @Test
    void refusesAPoolWhoseMaxIsBelowItsCore() {
        assertThatThrownBy(() -> resolve(Map.of("elastic.thread.core-pool-size", "4",
                "elastic.thread.max-pool-size", "2")))
                .hasMessageContaining("bulk max-pool-size=2 is smaller than core-pool-size=4");
    }

    @Test
    void takesWhatTheArticlesKeysCannotSayFromTheQueuesSection() {
        IndexerPlan plan = resolve(Map.of("indexer.input.queue", "Q1",
                "indexer.input.thread-count", "{Q1: \"3\"}",
                "dynamic-index.indexer.queues.Q1.consumers", "1",
                "dynamic-index.indexer.queues.Q1.allowed-indices", "products,unmatched-*"));
        assertThat(plan.queues().get("Q1").consumers()).isEqualTo(3);
        assertThat(plan.queues().get("Q1").allowedIndices()).containsExactly("products", "unmatched-*");
        assertThat(plan.guards().get("Q1").allowsEveryIndex()).isFalse();
    }

    @Test
    void boundsDeleteTargetsPerQueueOverTheSharedDefault() {
        IndexerPlan plan = resolve(Map.of("dynamic-index.indexer.queues.Q1.max-delete-targets", "5",
                "dynamic-index.indexer.queues.Q2.filter", "emptyFilter"));
        assertThat(plan.guards().get("Q1")).hasToString("allowed-indices any, max-delete-targets 5");
        assertThat(plan.guards().get("Q2")).hasToString("allowed-indices any, max-delete-targets 100");
    }

    private static IndexerPlan resolve(Map<String, String> properties) {
        Binder binder = new Binder(new MapConfigurationPropertySource(properties));
        return IndexerPlan.resolve(
                binder.bindOrCreate("dynamic-index.indexer", IndexerProperties.class),
                binder.bindOrCreate("indexer", LegacyIndexerProperties.class),
                binder.bindOrCreate("queue", LegacyQueueProperties.class),
                binder.bindOrCreate("elastic.thread", LegacyElasticProperties.class), FILTERS);
    }

    @Test
    void evaluatesTheArticlesMapsWithoutTypesOrMethodCalls() {
        assertThat(IndexerPlan.spelMap("queue.filter", "{Q1: \"emptyFilter\"}"))
                .containsExactly(Map.entry("Q1", "emptyFilter"));
        assertThatThrownBy(() -> IndexerPlan.spelMap("queue.filter",
                "{Q1: T(java.lang.System).getProperty('user.home')}"))
                .hasMessageStartingWith("queue.filter='{Q1: T(java.lang.System)");
    }
}
