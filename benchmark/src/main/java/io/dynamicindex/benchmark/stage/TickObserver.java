package io.dynamicindex.benchmark.stage;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamicindex.benchmark.environment.Broker;
import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.environment.DaemonState;
import io.dynamicindex.benchmark.measure.LatencySamples;

/**
 * Watches the ticks of one scheduler route from outside. Messages per tick come from the route's own
 * {@code lastTickCount}; how long a tick takes is read from the target queue, whose depth is sampled every 20 ms:
 * the time from the cron second until the depth last rose within that second, that is, until the tick's last
 * message reached the target.
 */
final class TickObserver {

    /** What the observed ticks showed. */
    record Ticks(List<Integer> counts, LatencySamples durations) {
    }

    private static final long SAMPLE_MILLIS = 20;
    private static final int SAMPLES_PER_ROUTE_READ = 5;

    private final Daemon scheduler;
    private final String route;
    private final Broker broker;
    private final String target;

    TickObserver(Daemon scheduler, String route, Broker broker, String target) {
        this.scheduler = scheduler;
        this.route = route;
        this.broker = broker;
        this.target = target;
    }

    /** Observes up to ticks ticks that fire after the given instant, or until the timeout. */
    Ticks observe(Instant after, int ticks, Duration timeout) throws InterruptedException {
        Map<Instant, Integer> counts = new LinkedHashMap<>();
        Map<Long, Long> lastRiseMillis = new HashMap<>();
        long depth = broker.depth(target);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int sample = 0; counts.size() < ticks && System.nanoTime() < deadline; sample++) {
            Thread.sleep(SAMPLE_MILLIS);
            Instant now = Instant.now();
            long current = broker.depth(target);
            if (current > depth) {
                lastRiseMillis.put(now.getEpochSecond(), now.toEpochMilli() - now.getEpochSecond() * 1000);
            }
            depth = current;
            if (sample % SAMPLES_PER_ROUTE_READ == 0) {
                DaemonState.RouteView view = DaemonState.route(scheduler, route);
                Instant fired = view.lastTick() == null ? null : view.lastTick().truncatedTo(ChronoUnit.SECONDS);
                if (fired != null && fired.isAfter(after) && view.lastTickCount() > 0) {
                    counts.putIfAbsent(fired, view.lastTickCount());
                }
            }
        }
        LatencySamples durations = new LatencySamples();
        counts.keySet().forEach(fired -> {
            Long rise = lastRiseMillis.get(fired.getEpochSecond());
            if (rise != null) {
                durations.add(rise * 1_000_000);
            }
        });
        return new Ticks(new ArrayList<>(counts.values()), durations);
    }
}
