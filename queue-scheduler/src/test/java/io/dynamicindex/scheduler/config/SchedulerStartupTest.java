package io.dynamicindex.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.dynamicindex.management.diagnostics.SecretSafeBindFailureAnalyzer;
import io.dynamicindex.scheduler.QueueSchedulerApplication;

/** Binding, defaults and failed startup of the scheduler's configuration, in a real application context. */
class SchedulerStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({SchedulerProperties.class, LegacyDeliveryProperties.class})
    @Import(SchedulerConfiguration.class)
    static class Properties {
    }

    @Test
    void bindsTheDefaults() {
        runner.run(context -> {
            SchedulerProperties properties = context.getBean(SchedulerProperties.class);
            assertThat(properties.window()).isEqualTo(2000);
            assertThat(properties.confirmTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.receiveTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.lease()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.maxMessagesPerTick()).isEqualTo(100_000);
            assertThat(properties.cronHorizon()).isEqualTo(Duration.ofDays(7));
            assertThat(properties.source().host()).isEqualTo("127.0.0.1");
            assertThat(context.getBean(SchedulerPlan.class).routes()).isEmpty();
            assertThat(context.getBean(SchedulerInstance.class).id())
                    .contains("/" + ProcessHandle.current().pid() + "/");
        });
    }

    @Test
    void failsStartupOnAMisspelledKey() {
        runner.withPropertyValues("dynamic-index.scheduler.routes.r.source=A",
                        "dynamic-index.scheduler.routes.r.target=B",
                        "dynamic-index.scheduler.routes.r.cron=* * * * * *",
                        "dynamic-index.scheduler.routes.r.mesages-per-tick=5")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("dynamic-index.scheduler.routes.r.mesages-per-tick"));
    }

    @Test
    void failsStartupNamingTheNearestKnownKeyAndOnAZeroConfirmTimeout() {
        runner.withPropertyValues("dynamic-index.scheduler.recieve-timeout=2s").run(context -> assertThat(
                new SecretSafeBindFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                .contains("did you mean dynamic-index.scheduler.receive-timeout?"));
        runner.withPropertyValues("dynamic-index.scheduler.confirm-timeout=0s").run(context -> assertThat(
                new SecretSafeBindFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                .contains("confirmTimeout"));
    }

    @Test
    void failsStartupNamingAMisspelledArticleKeyAndTheNearestKnownKey() {
        runner.withPropertyValues("delivery.perod=10", "delivery.source.queue-nme=APL2").run(context -> assertThat(
                new SecretSafeBindFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                .contains("misspelled").contains("delivery.perod").contains("did you mean delivery.period?")
                .contains("delivery.source.queue-nme").contains("did you mean delivery.source.queue-name?"));
    }

    @Test
    void failsStartupOnAWindowOverTheQuorumPrefetchCap() {
        runner.withPropertyValues("dynamic-index.scheduler.window=5000")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining("window")
                        .hasStackTraceContaining("5000"));
    }

    @Test
    void failsStartupNamingKeyValueAndLimitOfACountAboveTheLimit() {
        runner.withPropertyValues("dynamic-index.scheduler.max-messages-per-tick=500",
                        "dynamic-index.scheduler.routes.r.source=A", "dynamic-index.scheduler.routes.r.target=B",
                        "dynamic-index.scheduler.routes.r.cron=* * * * * *",
                        "dynamic-index.scheduler.routes.r.messages-per-tick=501")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("dynamic-index.scheduler.routes.r.messages-per-tick=501 is invalid")
                        .hasMessageContaining("dynamic-index.scheduler.max-messages-per-tick=500"));
    }

    @Test
    void failsStartupNamingBothRoutesOfOneSourceQueue() {
        runner.withPropertyValues("dynamic-index.scheduler.defaults.cron=* * * * * *",
                        "dynamic-index.scheduler.defaults.messages-per-tick=10",
                        "dynamic-index.scheduler.routes.a.source=TSHOP", "dynamic-index.scheduler.routes.a.target=Q1",
                        "dynamic-index.scheduler.routes.b.source=TSHOP", "dynamic-index.scheduler.routes.b.target=Q2")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("routes 'a' and 'b' both move from source queue TSHOP"));
    }

    @Test
    void failsStartupNamingKeyAndValueOfAnInvalidCron() {
        runner.withPropertyValues("delivery.cron=*/1 * *", "delivery.period=10",
                        "delivery.source.queue-name=APL2", "delivery.target.queue-name=Q_INDEX1")
                .run(context -> assertThat(context.getStartupFailure())
                        .hasStackTraceContaining("delivery.cron[0]='*/1 * *' is not a valid cron expression"));
    }

    /**
     * The daemon itself, started with a misspelled key, stops before it connects to anything (no database, broker or
     * port is reached), and the failure analysis it prints names the key and the nearest known key.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theDaemonStopsAtStartupNamingTheNearestKnownKey(CapturedOutput output) {
        assertThatThrownBy(() -> SpringApplication.run(QueueSchedulerApplication.class, "--server.port=0",
                "--management.server.port=0", "--spring.flyway.enabled=false",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none", "--dynamic-index.scheduler.recieve-timeout=2"))
                .isNotNull();
        assertThat(output).contains("dynamic-index.scheduler.recieve-timeout").contains("did you mean dynamic-index.scheduler.receive-timeout?");
    }
}
