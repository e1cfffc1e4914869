package io.dynamicindex.scheduler.api;

import java.time.Instant;
import java.util.List;

import io.dynamicindex.scheduler.config.Route;
import io.dynamicindex.scheduler.schedule.RouteState;
import io.dynamicindex.scheduler.schedule.TickRecord;

/**
 * One route as the API shows it, answered from memory.
 *
 * @param name                      the route name.
 * @param source                    the source queue.
 * @param target                    the target queue.
 * @param cron                      the cron it runs on now (runtime override or configured).
 * @param messagesPerTick           N now (runtime override or configured).
 * @param paused                    whether an operator paused it.
 * @param configuredCron            the cron in the properties.
 * @param configuredMessagesPerTick N in the properties.
 * @param active                    whether this instance held the route's lease at its last tick.
 * @param moved                     messages this instance moved since it started.
 * @param failedTicks               ticks that failed.
 * @param skippedTicks              ticks skipped because the previous tick still ran.
 * @param lastTick                  when the last tick started, or null.
 * @param lastTickCount             messages the last tick moved.
 * @param lastOutcome               what the last tick did: MOVED, FAILED, PAUSED or STANDBY.
 * @param sourceDepth               ready messages in the source queue at the last tick, or null.
 * @param targetDepth               ready messages in the target queue at the last tick, or null.
 * @param lastError                 the last failure, cleared by the next successful move.
 * @param recentTicks               the last ticks, oldest first.
 * @param budget                    changes the last tick was allowed: N, or less under the adaptive throttle.
 * @param budgetReason              why the budget is what it is.
 */
record RouteView(String name, String source, String target, String cron, int messagesPerTick, boolean paused,
                 String configuredCron, int configuredMessagesPerTick, boolean active, long moved, long failedTicks,
                 long skippedTicks, Instant lastTick, int lastTickCount, String lastOutcome, Long sourceDepth,
                 Long targetDepth, String lastError, List<TickRecord> recentTicks, long budget,
                 String budgetReason) {

    static RouteView of(RouteState state) {
        Route current = state.current();
        Route configured = state.configured();
        TickRecord last = state.lastTick();
        return new RouteView(current.name(), current.source(), current.target(), current.cron(),
                current.messagesPerTick(), state.paused(), configured.cron(), configured.messagesPerTick(),
                state.active(), state.moved(), state.failedTicks(), state.skippedTicks(),
                last == null ? null : last.started(), last == null ? 0 : last.count(),
                last == null ? null : last.outcome().name(), state.depths().source(), state.depths().target(),
                state.lastError(), state.recentTicks(), state.budget(), state.budgetReason());
    }
}
