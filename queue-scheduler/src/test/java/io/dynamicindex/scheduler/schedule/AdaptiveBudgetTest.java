package io.dynamicindex.scheduler.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.dynamicindex.scheduler.config.SchedulerProperties.Adaptive;

class AdaptiveBudgetTest {

    private final AdaptiveBudget budget = new AdaptiveBudget(new Adaptive(1_000L, 10));

    @Test
    void staysAtNWhileTheIndexQueueIsBelowItsTarget() {
        assertThat(budget.next(500, 10L, Optional.empty())).isEqualTo(new AdaptiveBudget.Decision(500,
                "configured N"));
    }

    @Test
    void shrinksByTargetOverDepthWhileTheIndexQueueIsAboveItsTargetDownToTheMinimum() {
        assertThat(budget.next(500, 1_500L, Optional.empty()).budget()).isEqualTo(250);
        assertThat(budget.next(500, 5_000L, Optional.empty()).budget()).isEqualTo(50);
        AdaptiveBudget.Decision floor = budget.next(500, 5_000L, Optional.empty());
        assertThat(floor.budget()).isEqualTo(10);
        assertThat(floor.reason()).contains("5000").contains("target-depth 1000");
    }

    @Test
    void halvesOnTheIndexersBackPressureAndRecoversByATenthOfNPerTick() {
        budget.next(500, 0L, Optional.empty());
        AdaptiveBudget.Decision lowered = budget.next(500, 0L, Optional.of("indexer backing_off: 429"));
        assertThat(lowered).isEqualTo(new AdaptiveBudget.Decision(250, "lowered: indexer backing_off: 429"));
        assertThat(budget.next(500, 0L, Optional.empty())).isEqualTo(new AdaptiveBudget.Decision(300,
                "recovering towards N"));
        for (int i = 0; i < 3; i++) {
            budget.next(500, 0L, Optional.empty());
        }
        assertThat(budget.next(500, 0L, Optional.empty())).isEqualTo(new AdaptiveBudget.Decision(500,
                "configured N"));
    }

    @Test
    void neverExceedsALoweredN() {
        budget.next(500, 0L, Optional.empty());
        assertThat(budget.next(100, 0L, Optional.empty()).budget()).isEqualTo(100);
    }
}
