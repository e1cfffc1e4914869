package io.dynamicindex.server.config;

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

import io.dynamicindex.management.ManagementProperties;
import io.dynamicindex.management.diagnostics.SecretSafeBindFailureAnalyzer;
import io.dynamicindex.server.QueueServerApplication;

/**
 * Binding of {@code dynamic-index.server.*} and {@code dynamic-index.management.*} in a real application context: a
 * misspelled key stops startup naming it and the nearest known key, without its value; an impossible duration stops
 * it naming the key.
 */
class QueueServerStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({QueueServerProperties.class, ManagementProperties.class})
    static class Properties {
    }

    @Test
    void bindsTheDefaultsAndAQueue() {
        runner.withPropertyValues("dynamic-index.server.queues.TSHOP.type=quorum",
                "dynamic-index.server.confirm-timeout=2s").run(context -> {
                    QueueServerProperties properties = context.getBean(QueueServerProperties.class);
                    assertThat(properties.confirmTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(properties.queues()).containsOnlyKeys("TSHOP");
                });
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void warnsAtStartupNamingEachPartnerWithoutAnIndexAllowList(CapturedOutput output) {
        runner.withUserConfiguration(QueueServerConfiguration.class).withPropertyValues(
                "dynamic-index.server.allow-plain-keys=true", "dynamic-index.server.queues.Q.type=classic",
                "dynamic-index.server.partners.open-shop.key=k1", "dynamic-index.server.partners.open-shop.queues=Q",
                "dynamic-index.server.partners.fenced-shop.key=k2", "dynamic-index.server.partners.fenced-shop.queues=Q",
                "dynamic-index.server.partners.fenced-shop.indices=fenced-*").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).contains("partner 'open-shop' has no index allow-list")
                            .contains("set dynamic-index.server.partners.open-shop.indices")
                            .doesNotContain("partner 'fenced-shop' has no index allow-list");
                });
    }

    @Test
    void failsStartupNamingAMisspelledKeyAndTheNearestKnownKey() {
        assertFailsNaming("dynamic-index.server.confirm-timout", "3s", "dynamic-index.server.confirm-timeout");
        assertFailsNaming("dynamic-index.server.queues.TSHOP.max-lenght", "10",
                "dynamic-index.server.queues.tshop.max-length");
        assertFailsNaming("dynamic-index.management.tokens.ops.rol", "ADMIN",
                "dynamic-index.management.tokens.ops.role");
    }

    @Test
    void failsStartupOnAZeroConfirmTimeout() {
        runner.withPropertyValues("dynamic-index.server.confirm-timeout=0s").run(context -> {
            assertThat(context.getStartupFailure()).isNotNull();
            assertThat(new SecretSafeBindFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                    .contains("confirmTimeout");
        });
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
        assertThatThrownBy(() -> SpringApplication.run(QueueServerApplication.class, "--server.port=0",
                "--management.server.port=0", "--spring.flyway.enabled=false",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none", "--dynamic-index.server.confirm-timout=2"))
                .isNotNull();
        assertThat(output).contains("dynamic-index.server.confirm-timout").contains("did you mean dynamic-index.server.confirm-timeout?");
    }
}
