package io.dynamicindex.scheduler.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.SimpleTriggerContext;

class SkipCountingCronTriggerTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    private final AtomicReference<String> cron = new AtomicReference<>("*/1 * * * * *");
    private final AtomicLong skipped = new AtomicLong();
    private final SkipCountingCronTrigger trigger = new SkipCountingCronTrigger(cron::get, skipped::addAndGet,
            ZoneOffset.UTC);

    @Test
    void firstTickIsTheNextCronTimeAfterNow() {
        SimpleTriggerContext context = new SimpleTriggerContext(Clock.fixed(T0.plusMillis(300), ZoneOffset.UTC));

        assertThat(trigger.nextExecution(context)).isEqualTo(T0.plusSeconds(1));
        assertThat(skipped).hasValue(0);
    }

    @Test
    void runsTheNextCronTimeWhenTheTickEndedInTime() {
        SimpleTriggerContext context = new SimpleTriggerContext(T0, T0, T0.plusMillis(400));

        assertThat(trigger.nextExecution(context)).isEqualTo(T0.plusSeconds(1));
        assertThat(skipped).hasValue(0);
    }

    @Test
    void skipsAndCountsEveryCronTimeThatFellDueWhileTheTickRan() {
        SimpleTriggerContext context = new SimpleTriggerContext(T0, T0, T0.plusMillis(2500));

        assertThat(trigger.nextExecution(context)).isEqualTo(T0.plusSeconds(3));
        assertThat(skipped).hasValue(2);
    }

    @Test
    void countsACronTimeReachedExactlyAtCompletionAsSkipped() {
        SimpleTriggerContext context = new SimpleTriggerContext(T0, T0, T0.plusSeconds(1));

        assertThat(trigger.nextExecution(context)).isEqualTo(T0.plusSeconds(2));
        assertThat(skipped).hasValue(1);
    }

    @Test
    void followsACronChangedSinceTheLastTick() {
        cron.set("*/10 * * * * *");
        SimpleTriggerContext context = new SimpleTriggerContext(T0, T0, T0.plusMillis(100));

        assertThat(trigger.nextExecution(context)).isEqualTo(T0.plusSeconds(10));
        assertThat(skipped).hasValue(0);
    }
}
