package io.dynamicindex.outbox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import io.dynamicindex.common.IndexAllowList;
import io.dynamicindex.management.diagnostics.SecretSafeBindFailureAnalyzer;
import io.dynamicindex.outbox.OutboxRelayApplication;

/**
 * Binding of {@code dynamic-index.outbox.*} in a real application context: the defaults, and a key that binds to
 * nothing (a misspelling, at the top, in a nested group or in a queue's settings) fails startup with a message that
 * names the key, as the operator sees it (the failure analysis printed at startup), without its value.
 */
class OutboxStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class)
            .withPropertyValues("dynamic-index.outbox.queues.shop.lazy=true");

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(OutboxProperties.class)
    static class Properties {
    }

    @Test
    void bindsTheDefaults() {
        runner.run(context -> {
            OutboxProperties properties = context.getBean(OutboxProperties.class);
            assertThat(properties.batchSize()).isEqualTo(500);
            assertThat(properties.statementTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.cleanup().retention()).isEqualTo(Duration.ofDays(1));
            assertThat(properties.queues()).containsOnlyKeys("shop");
            assertThat(properties.queues().get("shop").maxLength()).isNull();
        });
    }

    @Test
    void bindsAQueuesIndexAllowListAndLeavesItUnsetByDefault() {
        runner.withPropertyValues("dynamic-index.outbox.queues.shop.indices=products,shop-*",
                "dynamic-index.outbox.queues.open.lazy=true").run(context -> {
                    OutboxProperties properties = context.getBean(OutboxProperties.class);
                    assertThat(properties.queues().get("shop").indices()).containsExactly("products", "shop-*");
                    assertThat(properties.queues().get("open").indices()).isNull();
                    Map<String, IndexAllowList> lists = OutboxConfiguration.indexAllowLists(properties);
                    assertThat(lists.get("shop").allows("shop-1")).isTrue();
                    assertThat(lists.get("shop").allows("secret")).isFalse();
                    assertThat(lists.get("open").unrestricted()).isTrue();
                });
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void warnsOnceAtStartupNamingEachQueueWithoutAnIndexAllowList(CapturedOutput output) {
        runner.withPropertyValues("dynamic-index.outbox.queues.shop.indices=products",
                "dynamic-index.outbox.queues.open.lazy=true").run(context ->
                OutboxConfiguration.indexAllowLists(context.getBean(OutboxProperties.class)));

        assertThat(output.getAll().lines().filter(line -> line.contains("has no index allow-list")))
                .singleElement().asString().contains("WARN", "queue 'open'",
                        "set dynamic-index.outbox.queues.open.indices");
    }

    @Test
    void failsStartupNamingAMisspelledTopLevelKey() {
        assertFailsNaming("dynamic-index.outbox.batch-sise", "250");
    }

    @Test
    void failsStartupNamingAMisspelledNestedKey() {
        assertFailsNaming("dynamic-index.outbox.cleanup.retension", "1s");
    }

    @Test
    void failsStartupNamingAMisspelledQueueSetting() {
        assertFailsNaming("dynamic-index.outbox.queues.shop.max-lenght", "1000000");
    }

    @Test
    void failsStartupNamingTheNearestKnownKeyAndOnAZeroConfirmTimeout() {
        runner.withPropertyValues("dynamic-index.outbox.queues.shop.max-lenght=5").run(context -> assertThat(
                new SecretSafeBindFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                .contains("did you mean dynamic-index.outbox.queues.shop.max-length?"));
        runner.withPropertyValues("dynamic-index.outbox.confirm-timeout=0s").run(context -> assertThat(
                new SecretSafeBindFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                .contains("confirmTimeout"));
    }

    private void assertFailsNaming(String key, String value) {
        runner.withPropertyValues(key + "=" + value).run(context -> {
            assertThat(context.getStartupFailure()).as(key).isNotNull().rootCause().hasMessageContaining(key);
            FailureAnalysis analysis = new SecretSafeBindFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("the failure analysis printed at startup").isNotNull();
            assertThat(analysis.getDescription()).contains(key).contains("misspelled")
                    .doesNotContain("=" + value);
        });
    }

    /**
     * The daemon itself, started with a misspelled key, stops before it connects to anything (no database, broker or
     * port is reached), and the failure analysis it prints names the key and the nearest known key.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theDaemonStopsAtStartupNamingTheNearestKnownKey(CapturedOutput output) {
        assertThatThrownBy(() -> SpringApplication.run(OutboxRelayApplication.class, "--server.port=0",
                "--management.server.port=0", "--spring.flyway.enabled=false",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                "--dynamic-index.outbox.queues.shop.lazy=true", "--dynamic-index.outbox.batch-sise=2"))
                .isNotNull();
        assertThat(output).contains("dynamic-index.outbox.batch-sise").contains("did you mean dynamic-index.outbox.batch-size?");
    }
}
