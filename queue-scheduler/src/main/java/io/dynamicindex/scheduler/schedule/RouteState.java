package io.dynamicindex.scheduler.schedule;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.dynamicindex.scheduler.config.Route;
import io.dynamicindex.scheduler.control.RouteOverrides;
import io.dynamicindex.scheduler.move.QueueDepths;
import io.dynamicindex.scheduler.schedule.TickRecord.Outcome;

/**
 * Live state of one route: its configuration with the runtime overrides, and the counters of its ticks. Written by
 * the route's tick thread (and by operator changes), read by the HTTP API; never blocks either.
 */
public final class RouteState {

    private static final int HISTORY = 20;

    private final Route configured;
    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong failedTicks = new AtomicLong();
    private final AtomicLong skippedTicks = new AtomicLong();
    private final Deque<TickRecord> recent = new ArrayDeque<>();
    private volatile RouteOverrides overrides = RouteOverrides.NONE;
    private volatile TickRecord lastTick;
    private volatile String lastError;
    private volatile QueueDepths depths = QueueDepths.UNKNOWN;
    private volatile boolean active;
    private volatile long budget = -1;
    private volatile String budgetReason;

    RouteState(Route configured) {
        this.configured = configured;
    }

    void overrides(RouteOverrides newOverrides) {
        this.overrides = newOverrides;
    }

    void recordMoved(Instant started, int count, QueueDepths after) {
        moved.addAndGet(count);
        depths = after;
        lastError = null;
        record(new TickRecord(started, Outcome.MOVED, count));
    }

    void recordFailed(Instant started, int count, String error) {
        moved.addAndGet(count);
        failedTicks.incrementAndGet();
        lastError = error;
        record(new TickRecord(started, Outcome.FAILED, count));
    }

    void recordIdle(Instant started, Outcome outcome, QueueDepths now) {
        depths = now;
        record(new TickRecord(started, outcome, 0));
    }

    void recordSkipped(long count) {
        skippedTicks.addAndGet(count);
    }

    void budget(long changes, String reason) {
        this.budget = changes;
        this.budgetReason = reason;
    }

    /** The changes the last tick was allowed (N, or the adaptive throttle's lower budget); -1 before the first. */
    public long budget() {
        return budget;
    }

    /** Why the budget is what it is. */
    public String budgetReason() {
        return budgetReason;
    }

    void active(boolean holdsLease) {
        this.active = holdsLease;
    }

    private void record(TickRecord tick) {
        lastTick = tick;
        synchronized (recent) {
            if (recent.size() == HISTORY) {
                recent.removeFirst();
            }
            recent.addLast(tick);
        }
    }

    /** The route as configured in the properties. */
    public Route configured() {
        return configured;
    }

    /** The route as it runs now: the configuration with the runtime overrides applied. */
    public Route current() {
        return overrides.applyTo(configured);
    }

    public RouteOverrides overrides() {
        return overrides;
    }

    public boolean paused() {
        return overrides.paused();
    }

    /** Whether this instance held the route's lease at its last tick. */
    public boolean active() {
        return active;
    }

    public long moved() {
        return moved.get();
    }

    public long failedTicks() {
        return failedTicks.get();
    }

    /** Ticks that fell due while the previous tick of the route still ran, and so did not run. */
    public long skippedTicks() {
        return skippedTicks.get();
    }

    /** The last tick, or null before the first. */
    public TickRecord lastTick() {
        return lastTick;
    }

    public String lastError() {
        return lastError;
    }

    public QueueDepths depths() {
        return depths;
    }

    /** The last ticks, oldest first. */
    public List<TickRecord> recentTicks() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
