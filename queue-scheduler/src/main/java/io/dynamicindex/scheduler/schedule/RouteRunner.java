package io.dynamicindex.scheduler.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.dynamicindex.scheduler.config.Route;
import io.dynamicindex.scheduler.control.RouteOverrideStore;
import io.dynamicindex.scheduler.lease.RouteLease;
import io.dynamicindex.scheduler.move.MoveFailedException;
import io.dynamicindex.scheduler.move.MoveResult;
import io.dynamicindex.scheduler.move.RouteMover;
import io.dynamicindex.scheduler.schedule.TickRecord.Outcome;

/**
 * Runs one route: its ticks on its own thread ({@code scheduler-<route>-1}), one at a time, on its cron. Each tick
 * reads the route's runtime overrides from PostgreSQL, so that a change made on any instance applies here on the next
 * tick; then, unless the route is paused, it takes or renews the route's lease and, holding it, moves. A tick stops
 * taking messages one confirm-timeout before its lease runs out, so that it never moves after another instance may
 * have taken over, and ends, whatever happens, a safety margin before its lease does: it then acknowledges nothing
 * more and gives back what it holds. Owns the thread and the lease; releases both on stop.
 */
final class RouteRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RouteRunner.class);
    private static final int WARN_EVERY = 60;

    private final RouteState state;
    private final RouteMover mover;
    private final RouteLease lease;
    private final RouteOverrideStore store;
    private final Duration moveBudget;
    private final Duration fence;
    private final ThreadPoolTaskScheduler thread = new ThreadPoolTaskScheduler();
    private final Counter movedCounter;
    private final MeterRegistry meters;
    private ScheduledFuture<?> ticks;
    private int failuresInARow;
    private final TickBudget tickBudget;

    /**
     * @param moveBudget how long after its start a tick may take messages from the source
     * @param fence      how long after its start a tick ends whatever happens: less than the lease, so that it never
     *                   acknowledges once another instance may hold the route
     */
    RouteRunner(RouteState state, RouteMover mover, RouteLease lease, RouteOverrideStore store, Duration moveBudget,
                Duration fence, MeterRegistry meters, TickBudget tickBudget) {
        this.tickBudget = tickBudget;
        this.state = state;
        this.mover = mover;
        this.lease = lease;
        this.store = store;
        this.moveBudget = moveBudget;
        this.fence = fence;
        this.meters = meters;
        this.movedCounter = meters.counter("dynamicindex.scheduler.moved", "route", state.configured().name());
        thread.setPoolSize(1);
        thread.setThreadNamePrefix("scheduler-" + state.configured().name() + "-");
        thread.setWaitForTasksToCompleteOnShutdown(true);
        thread.setAwaitTerminationMillis(moveBudget.toMillis() + 30_000);
    }

    synchronized void start() {
        thread.initialize();
        schedule();
    }

    /** Drops the pending tick and schedules anew, after an operator changed the cron. */
    synchronized void reschedule() {
        if (ticks != null) {
            ticks.cancel(false);
            schedule();
        }
    }

    private void schedule() {
        ticks = thread.schedule(this::tick, new SkipCountingCronTrigger(() -> state.current().cron(),
                this::skipped, ZoneId.systemDefault()));
    }

    /** Stops scheduling; a running tick goes on. */
    synchronized void initiateStop() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
        thread.initiateShutdown();
    }

    /** Waits for a running tick to end, then hands the lease over at once. */
    void awaitStop() {
        thread.shutdown();
        try {
            lease.release();
        } catch (RuntimeException e) {
            LOG.warn("{}: could not release the lease; another instance takes over when it runs out: {}",
                    state.configured().name(), e.toString());
        }
    }

    void tick() {
        Instant started = Instant.now();
        long startedNanos = System.nanoTime();
        Route route = state.current();
        try {
            state.overrides(store.load(route.name()));
            route = state.current();
            if (state.paused()) {
                state.active(false);
                idle(started, Outcome.PAUSED);
            } else if (!holdLease(route)) {
                idle(started, Outcome.STANDBY);
            } else {
                move(started, startedNanos, route);
            }
        } catch (MoveFailedException e) {
            tickBudget.moved(e.moved());
            failed(started, route, e.moved(), e.getMessage());
        } catch (RuntimeException e) {
            failed(started, route, 0, e.toString());
        }
    }

    /** Moves this tick's {@link TickBudget}. */
    private void move(Instant started, long startedNanos, Route route) throws MoveFailedException {
        long budget = tickBudget.next(route, state);
        if (budget <= 0) {
            tickBudget.moved(0);
            state.recordMoved(started, 0, mover.depths());
            count(Outcome.MOVED);
            return;
        }
        Duration time = moveBudget.minusNanos(System.nanoTime() - startedNanos);
        MoveResult result = mover.move(budget, time, startedNanos + fence.toNanos());
        tickBudget.moved(result.moved());
        moved(started, route, result);
    }

    private boolean holdLease(Route route) {
        boolean wasActive = state.active();
        boolean active;
        try {
            active = lease.acquire();
        } catch (RuntimeException e) {
            state.active(false);
            throw e;
        }
        state.active(active);
        if (active != wasActive) {
            LOG.info(active ? "{}: this instance moves the route now (lease taken)"
                    : "{}: another instance moves the route now; standing by", route.name());
        }
        return active;
    }

    private void idle(Instant started, Outcome outcome) {
        state.recordIdle(started, outcome, mover.depths());
        count(outcome);
    }

    private void moved(Instant started, Route route, MoveResult result) {
        state.recordMoved(started, result.moved(), result.depths());
        movedCounter.increment(result.moved());
        count(Outcome.MOVED);
        if (failuresInARow > 0) {
            LOG.info("{}: moving again after {} failed tick(s)", route.name(), failuresInARow);
            failuresInARow = 0;
        }
        LOG.debug("{}: moved {} of up to {} to {}", route.name(), result.moved(), route.messagesPerTick(),
                route.target());
    }

    /** WARN on the first failure of a run and every 60th after; DEBUG in between. */
    private void failed(Instant started, Route route, int count, String error) {
        state.recordFailed(started, count, error);
        movedCounter.increment(count);
        count(Outcome.FAILED);
        if (failuresInARow++ % WARN_EVERY == 0) {
            LOG.warn("{}: tick failed after {} confirmed move(s) (failure {} in a row); the unconfirmed rest stays "
                    + "in {}: {}", route.name(), count, failuresInARow, route.source(), error);
        } else {
            LOG.debug("{}: tick failed again: {}", route.name(), error);
        }
    }

    private void skipped(long count) {
        state.recordSkipped(count);
        meters.counter("dynamicindex.scheduler.ticks", "route", state.configured().name(), "outcome", "skipped")
                .increment(count);
        LOG.debug("{}: skipped {} tick(s) that fell due while the previous one still ran",
                state.configured().name(), count);
    }

    private void count(Outcome outcome) {
        meters.counter("dynamicindex.scheduler.ticks", "route", state.configured().name(), "outcome",
                outcome.name().toLowerCase(Locale.ROOT)).increment();
    }
}
