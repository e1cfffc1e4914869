package io.dynamicindex.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import io.dynamicindex.outbox.relay.RelayState;
import io.dynamicindex.outbox.support.RelayHarness;
import io.dynamicindex.outbox.support.RelayView;

/**
 * The lag query failing (the outbox table locked past the statement timeout) fails no step: a standby instance stays
 * {@code STANDBY} with no failed batch, the lag failure is counted, and the lag comes back afterwards.
 */
class StandbyLagIT {

    @Test
    void aFailingLagQueryDoesNotFailTheStandby() throws Exception {
        Map<String, String> shortStatements = Map.of("dynamic-index.outbox.statement-timeout", "1s");
        try (RelayHarness harness = new RelayHarness()) {
            RelayView first = new RelayView(harness.startInJvm(shortStatements), harness);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.status().state() == RelayState.PUBLISHING);
            RelayView standby = new RelayView(harness.startInJvm(shortStatements), harness);
            await().atMost(Duration.ofSeconds(10)).until(() -> standby.status().state() == RelayState.STANDBY);
            harness.insert(5, 1);
            try (Connection blocker = harness.database()) {
                blocker.setAutoCommit(false);
                try (Statement lock = blocker.createStatement()) {
                    lock.execute("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE");
                }
                long until = System.nanoTime() + Duration.ofSeconds(7).toNanos();
                while (System.nanoTime() < until) {
                    assertThat(standby.status().state()).as("the standby while the lag cannot be read")
                            .isEqualTo(RelayState.STANDBY);
                    Thread.sleep(50);
                }
                assertThat(lagFailures(standby)).as("lag failures counted").isPositive();
                assertThat(standby.failures()).as("no failed batch on the standby").isZero();
                blocker.rollback();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> standby.status().lastId() == 5);
            assertThat(standby.status().state()).isEqualTo(RelayState.STANDBY);
        }
    }

    private static double lagFailures(RelayView relay) {
        return relay.context().getBean(MeterRegistry.class).counter("dynamicindex.outbox.lag.failures").count();
    }
}
