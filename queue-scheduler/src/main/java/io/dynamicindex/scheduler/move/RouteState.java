package io.dynamicindex.scheduler.move;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.dynamicindex.scheduler.config.Route;

/** Live counters of one route, written by its tick thread and read by the HTTP API. */
public final class RouteState {

    private final Route route;
    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong failedTicks = new AtomicLong();
    private final AtomicReference<Instant> lastTick = new AtomicReference<>();
    private volatile int lastTickCount;
    private volatile String lastError;

    RouteState(Route route) {
        this.route = route;
    }

    void ticked(int count) {
        moved.addAndGet(count);
        lastTickCount = count;
        lastTick.set(Instant.now());
        lastError = null;
    }

    void failed(int count, Exception e) {
        moved.addAndGet(count);
        lastTickCount = count;
        lastTick.set(Instant.now());
        failedTicks.incrementAndGet();
        lastError = e.toString();
    }

    public Route route() {
        return route;
    }

    public long moved() {
        return moved.get();
    }

    public long failedTicks() {
        return failedTicks.get();
    }

    public Instant lastTick() {
        return lastTick.get();
    }

    public int lastTickCount() {
        return lastTickCount;
    }

    public String lastError() {
        return lastError;
    }
}
