package io.dynamicindex.indexer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import io.dynamicindex.management.diagnostics.SecretSafeBindFailureAnalyzer;
import io.dynamicindex.indexer.QueueIndexerApplication;

/**
 * Binding of {@code dynamic-index.indexer.*} and the article's keys in a real application context: a misspelled key
 * (at the top, in a queue's settings, in the rebuild's, among the article's keys) stops startup naming it and the
 * nearest known key, without its value; an impossible duration stops it naming the key; the article's keys still
 * bind.
 */
class IndexerStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({IndexerProperties.class, LegacyIndexerProperties.class,
            LegacyQueueProperties.class, LegacyElasticProperties.class})
    static class Properties {
    }

    @Test
    void bindsStructuredRebuildAndArticleKeys() {
        runner.withPropertyValues("dynamic-index.indexer.queues.Q1.consumers=2",
                "dynamic-index.indexer.rebuild.batch-size=50", "indexer.input.queue=Q2",
                "indexer.input.thread-count={Q2: \"3\"}", "indexer.output.buffer-max-interval-ms=250",
                "queue.filter={Q2: \"emptyFilter\"}", "elastic.thread.max-pool-size=4").run(context -> {
                    IndexerProperties properties = context.getBean(IndexerProperties.class);
                    assertThat(properties.queues().get("Q1").consumers()).isEqualTo(2);
                    assertThat(properties.rebuild().batchSize()).isEqualTo(50);
                    assertThat(properties.rebuild().lockTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(context.getBean(LegacyIndexerProperties.class).input().queue()).containsExactly("Q2");
                    assertThat(context.getBean(LegacyElasticProperties.class).maxPoolSize()).isEqualTo(4);
                });
    }

    @Test
    void failsStartupNamingAMisspelledKeyAndTheNearestKnownKey() {
        assertFailsNaming("dynamic-index.indexer.worker", "3", "dynamic-index.indexer.workers");
        assertFailsNaming("dynamic-index.indexer.queues.Q1.consumer", "2", "dynamic-index.indexer.queues.q1.consumers");
        assertFailsNaming("dynamic-index.indexer.elasticsearch.socket-timout", "5s",
                "dynamic-index.indexer.elasticsearch.socket-timeout");
        assertFailsNaming("dynamic-index.indexer.rebuild.batch-sise", "10", "dynamic-index.indexer.rebuild.batch-size");
    }

    @Test
    void failsStartupNamingAMisspelledArticleKeyAndTheNearestKnownKey() {
        assertFailsNaming("indexer.output.buffer-max-sise", "500", "indexer.output.buffer-max-size");
        assertFailsNaming("indexer.input.threads-count", "{Q1: \"2\"}", "indexer.input.thread-count");
        assertFailsNaming("queue.filters", "{Q1: \"emptyFilter\"}", "queue.filter");
        assertFailsNaming("elastic.thread.max-pool-sise", "4", "elastic.thread.max-pool-size");
    }

    @Test
    void failsStartupOnImpossibleDurations() {
        for (String key : new String[] {"dynamic-index.indexer.elasticsearch.socket-timeout",
                "dynamic-index.indexer.retry.max-backoff", "dynamic-index.indexer.rebuild.lock-timeout"}) {
            runner.withPropertyValues(key + "=0s").run(context -> {
                assertThat(context.getStartupFailure()).as(key).isNotNull();
                String leaf = key.substring(key.lastIndexOf('.') + 1).replace("-t", "T").replace("-b", "B");
                assertThat(new SecretSafeBindFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                        .as(key).contains(leaf);
            });
        }
    }

    private void assertFailsNaming(String key, String value, String nearest) {
        runner.withPropertyValues(key + "=" + value).run(context -> {
            assertThat(context.getStartupFailure()).as(key).isNotNull();
            FailureAnalysis analysis = new SecretSafeBindFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).containsIgnoringCase(key).contains("misspelled")
                    .containsIgnoringCase("did you mean " + nearest + "?").doesNotContain("=" + value);
        });
    }

    /**
     * The daemon itself, started with a misspelled key, stops before it connects to anything (no database, broker or
     * port is reached), and the failure analysis it prints names the key and the nearest known key.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theDaemonStopsAtStartupNamingTheNearestKnownKey(CapturedOutput output) {
        assertThatThrownBy(() -> SpringApplication.run(QueueIndexerApplication.class, "--server.port=0",
                "--management.server.port=0", "--spring.flyway.enabled=false",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none", "--dynamic-index.indexer.worker=2"))
                .isNotNull();
        assertThat(output).contains("dynamic-index.indexer.worker").contains("did you mean dynamic-index.indexer.workers?");
    }
}
