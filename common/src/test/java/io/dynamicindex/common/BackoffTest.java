package io.dynamicindex.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff highest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), bound -> bound);

    @Test
    void doublesTheCeilingPerAttemptUpToTheCap() {
        assertThat(highest.delay(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(highest.delay(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(highest.delay(5)).isEqualTo(Duration.ofMillis(3200));
        assertThat(highest.delay(6)).isEqualTo(Duration.ofSeconds(5));
        assertThat(highest.delay(500)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void drawsTheWaitBelowTheCeiling() {
        Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), bound -> 0);
        assertThat(lowest.delay(3)).isZero();
        Backoff random = Backoff.withRandomJitter(Duration.ofMillis(100), Duration.ofSeconds(5));
        for (int attempt = 0; attempt < 50; attempt++) {
            assertThat(random.delay(attempt).toMillis()).isBetween(0L, random.ceilingMillis(attempt));
        }
    }

    @Test
    void refusesACapBelowTheInitialWait() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), bound -> bound))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initial=PT2S");
    }
}
