package io.dynamicindex.scheduler.schedule;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import net.javacrumbs.shedlock.core.LockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.dynamicindex.scheduler.config.Route;
import io.dynamicindex.scheduler.config.RouteLimits;
import io.dynamicindex.scheduler.config.SchedulerPlan;
import io.dynamicindex.scheduler.config.SchedulerProperties;
import io.dynamicindex.scheduler.control.RouteOverrideStore;
import io.dynamicindex.scheduler.control.RouteOverrides;
import io.dynamicindex.scheduler.lease.RouteLease;
import io.dynamicindex.scheduler.move.BrokerConnection;
import io.dynamicindex.scheduler.move.MoveLimits;
import io.dynamicindex.scheduler.move.RouteMover;

/**
 * Runs every route (see {@link RouteRunner}) and carries out an operator's runtime changes: each change is stored in
 * PostgreSQL first, then applied here at once; other instances read it on their next tick. On start it applies the
 * stored changes over the properties and logs them. Owns the two broker connections and the route runners; calling
 * start or stop twice is harmless.
 */
@Component
public class RouteScheduler implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RouteScheduler.class);

    private final SchedulerPlan plan;
    private final SchedulerProperties properties;
    private final RouteOverrideStore store;
    private final LockProvider locks;
    private final MeterRegistry meters;
    private final Map<String, RouteState> states = new LinkedHashMap<>();
    private final Map<String, RouteRunner> runners = new ConcurrentHashMap<>();
    private BrokerConnection sourceBroker;
    private BrokerConnection targetBroker;
    private volatile boolean running;

    public RouteScheduler(SchedulerPlan plan, SchedulerProperties properties, RouteOverrideStore store,
                          LockProvider locks, MeterRegistry meters) {
        this.plan = plan;
        this.properties = properties;
        this.store = store;
        this.locks = locks;
        this.meters = meters;
        plan.routes().forEach(route -> states.put(route.name(), new RouteState(route)));
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        applyStoredOverrides();
        sourceBroker = new BrokerConnection(plan.source(), "queue-scheduler-source", properties.confirmTimeout());
        targetBroker = new BrokerConnection(plan.target(), "queue-scheduler-target", properties.confirmTimeout());
        MoveLimits limits = new MoveLimits(properties.window(), properties.confirmTimeout(),
                properties.receiveTimeout(), properties.pack().maxChanges(), properties.pack().maxBytes().toBytes());
        Duration fence = properties.lease().minus(SchedulerPlan.LEASE_SAFETY);
        Duration moveBudget = fence.minus(properties.confirmTimeout().multipliedBy(2));
        IndexerPressure pressure = new IndexerPressure(properties.indexer());
        for (RouteState state : states.values()) {
            Route route = state.configured();
            declareIfMissing(sourceBroker, route.source());
            declareIfMissing(targetBroker, route.target());
            RouteMover mover = new RouteMover(sourceBroker, targetBroker, route.source(), route.target(), limits);
            RouteRunner runner = new RouteRunner(state, mover, new RouteLease(locks, route.name(),
                    properties.lease()), store, moveBudget, fence, meters, tickBudget(route.name(), pressure));
            registerGauges(state);
            runners.put(route.name(), runner);
            runner.start();
            LOG.info("{}: moving up to {} messages from {} to {} on cron '{}'{} (source {}, target {})", route.name(),
                    state.current().messagesPerTick(), route.source(), route.target(), state.current().cron(),
                    state.paused() ? ", paused" : "", sourceBroker.address(), targetBroker.address());
        }
        running = true;
    }

    private void applyStoredOverrides() {
        Map<String, RouteOverrides> stored = store.loadAll();
        stored.forEach((name, overrides) -> {
            RouteState state = states.get(name);
            if (state == null) {
                LOG.info("{}: stored runtime state {} ignored: no such route is configured", name, overrides);
                return;
            }
            state.overrides(overrides);
            LOG.info("{}: stored runtime state applied over the properties: paused={}, messages-per-tick {} "
                            + "(properties {}), cron '{}' (properties '{}')", name, overrides.paused(),
                    state.current().messagesPerTick(), state.configured().messagesPerTick(), state.current().cron(),
                    state.configured().cron());
        });
    }

    /** The route's budget: adaptive when its properties ask for it (structured routes only). */
    private TickBudget tickBudget(String route, IndexerPressure pressure) {
        SchedulerProperties.RouteSettings settings = properties.routes().get(route);
        return new TickBudget(settings == null || settings.adaptive() == null ? null
                : new AdaptiveBudget(settings.adaptive()), pressure);
    }

    private void registerGauges(RouteState state) {
        String name = state.configured().name();
        Gauge.builder("dynamicindex.scheduler.budget", state, s -> s.budget() < 0 ? Double.NaN : s.budget())
                .tags("route", name).description("changes the last tick was allowed").register(meters);
        Gauge.builder("dynamicindex.scheduler.queue.depth", state, s -> depth(s.depths().source()))
                .tags("route", name, "queue", "source").register(meters);
        Gauge.builder("dynamicindex.scheduler.queue.depth", state, s -> depth(s.depths().target()))
                .tags("route", name, "queue", "target").register(meters);
    }

    private static double depth(Long depth) {
        return depth == null ? Double.NaN : depth;
    }

    private static void declareIfMissing(BrokerConnection broker, String queue) {
        try {
            broker.declareIfMissing(queue);
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warn("{}: cannot check or declare the queue on {} now; ticks fail until it exists: {}", queue,
                    broker.address(), e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        runners.values().forEach(RouteRunner::initiateStop);
        runners.values().forEach(RouteRunner::awaitStop);
        runners.clear();
        sourceBroker.close();
        targetBroker.close();
        running = false;
        LOG.info("queue-scheduler: stopped {} route(s) and released their leases", states.size());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public List<RouteState> states() {
        return new ArrayList<>(states.values());
    }

    public RouteState state(String name) {
        RouteState state = states.get(name);
        if (state == null) {
            throw new UnknownRouteException(name);
        }
        return state;
    }

    public RouteState pause(String name) {
        RouteState state = state(name);
        state.overrides(store.paused(name, true));
        LOG.info("{}: paused by an operator; takes effect on the next tick", name);
        return state;
    }

    public RouteState resume(String name) {
        RouteState state = state(name);
        state.overrides(store.paused(name, false));
        LOG.info("{}: resumed by an operator; takes effect on the next tick", name);
        return state;
    }

    /**
     * Changes N, the cron or both; a null leaves that one as it is. Both keep the limits of the properties.
     *
     * @throws IllegalArgumentException naming the field, the value and the limit when a value is refused; nothing
     *                                  is changed then
     */
    public RouteState change(String name, Integer messagesPerTick, String cron) {
        RouteState state = state(name);
        checkChange(messagesPerTick, cron);
        String before = state.current().cron();
        if (messagesPerTick != null) {
            state.overrides(store.messagesPerTick(name, messagesPerTick));
        }
        if (cron != null) {
            state.overrides(store.cron(name, cron.trim()));
        }
        rescheduleIfCronChanged(state, before);
        LOG.info("{}: changed by an operator to {} messages per tick on cron '{}'; takes effect on the next tick",
                name, state.current().messagesPerTick(), state.current().cron());
        return state;
    }

    private void checkChange(Integer messagesPerTick, String cron) {
        RouteLimits limits = plan.limits();
        Optional<String> countFault = messagesPerTick == null ? Optional.empty()
                : limits.countFault(messagesPerTick);
        if (countFault.isPresent()) {
            throw new IllegalArgumentException("messagesPerTick=" + messagesPerTick + " is invalid: "
                    + countFault.get());
        }
        Optional<String> cronFault = cron == null ? Optional.empty() : limits.cronFault(cron);
        if (cronFault.isPresent()) {
            throw new IllegalArgumentException("cron='" + cron + "' " + cronFault.get());
        }
    }

    /** Forgets every runtime change of the route: it runs as configured again, unpaused. */
    public RouteState reset(String name) {
        RouteState state = state(name);
        String before = state.current().cron();
        store.clear(name);
        state.overrides(RouteOverrides.NONE);
        rescheduleIfCronChanged(state, before);
        LOG.info("{}: runtime changes cleared by an operator; runs as configured", name);
        return state;
    }

    private void rescheduleIfCronChanged(RouteState state, String before) {
        RouteRunner runner = runners.get(state.configured().name());
        if (runner != null && !before.equals(state.current().cron())) {
            runner.reschedule();
        }
    }
}
