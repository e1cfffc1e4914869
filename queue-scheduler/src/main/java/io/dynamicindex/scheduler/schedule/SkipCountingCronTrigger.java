package io.dynamicindex.scheduler.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.TriggerContext;
import org.springframework.scheduling.support.CronExpression;

/**
 * A cron trigger that never runs a late tick: the next execution is the first cron time after the previous tick
 * completed, and every cron time that fell due while that tick still ran is reported as skipped. It reads the cron
 * expression anew each time, so that a changed cron applies from the next tick on.
 */
final class SkipCountingCronTrigger implements Trigger {

    private final Supplier<String> cron;
    private final LongConsumer skipped;
    private final ZoneId zone;

    SkipCountingCronTrigger(Supplier<String> cron, LongConsumer skipped, ZoneId zone) {
        this.cron = cron;
        this.skipped = skipped;
        this.zone = zone;
    }

    @Override
    public Instant nextExecution(TriggerContext context) {
        CronExpression expression = CronExpression.parse(cron.get());
        Instant scheduled = context.lastScheduledExecution();
        Instant completed = context.lastCompletion();
        if (scheduled == null || completed == null) {
            return next(expression, context.getClock().instant());
        }
        Instant next = next(expression, scheduled);
        long missed = 0;
        while (next != null && !next.isAfter(completed)) {
            missed++;
            next = next(expression, next);
        }
        if (missed > 0) {
            skipped.accept(missed);
        }
        return next;
    }

    private Instant next(CronExpression expression, Instant after) {
        ZonedDateTime next = expression.next(after.atZone(zone));
        return next == null ? null : next.toInstant();
    }
}
