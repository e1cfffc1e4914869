package io.dynamicindex.scheduler.move;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

import com.rabbitmq.client.Channel;

import io.dynamicindex.scheduler.config.Route;
import io.dynamicindex.scheduler.config.SchedulerPlan;
import io.dynamicindex.scheduler.config.SchedulerProperties;

/**
 * Runs every route on its cron, each on its own thread ({@code scheduler-<route>}). A route's next tick is
 * scheduled only after its current tick ends, so ticks of one route never overlap. Owns the two broker
 * connections and the task scheduler, and closes them on stop.
 */
@Component
public class RouteScheduler implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RouteScheduler.class);

    private final SchedulerPlan plan;
    private final SchedulerProperties properties;
    private final MeterRegistry meters;
    private final List<RouteState> states = new ArrayList<>();
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();
    private BrokerConnection sourceBroker;
    private BrokerConnection targetBroker;
    private ThreadPoolTaskScheduler taskScheduler;
    private volatile boolean running;

    public RouteScheduler(SchedulerPlan plan, SchedulerProperties properties, MeterRegistry meters) {
        this.plan = plan;
        this.properties = properties;
        this.meters = meters;
        plan.routes().forEach(route -> states.add(new RouteState(route)));
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        sourceBroker = new BrokerConnection(plan.source(), "queue-scheduler-source");
        targetBroker = new BrokerConnection(plan.target(), "queue-scheduler-target");
        taskScheduler = new ThreadPoolTaskScheduler();
        taskScheduler.setPoolSize(Math.max(1, states.size()));
        taskScheduler.setThreadNamePrefix("scheduler-");
        taskScheduler.initialize();
        for (RouteState state : states) {
            declareQueues(state.route());
            RouteMover mover = new RouteMover(state.route(), sourceBroker, targetBroker, properties.window(),
                    properties.confirmTimeout(), properties.receiveTimeout());
            ticks.add(taskScheduler.schedule(() -> tick(mover, state), new CronTrigger(state.route().cron())));
            LOG.info("{}: moving up to {} messages to {} on cron '{}' (source {}, target {})",
                    state.route().source(), state.route().messagesPerTick(), state.route().target(),
                    state.route().cron(), sourceBroker.address(), targetBroker.address());
        }
        running = true;
    }

    private void tick(RouteMover mover, RouteState state) {
        Route route = state.route();
        RouteMover.MoveProgress progress = new RouteMover.MoveProgress();
        try {
            int moved = mover.moveOnce(progress);
            state.ticked(moved);
            meters.counter("dynamicindex.scheduler.moved", "route", route.name()).increment(moved);
            LOG.debug("{}: moved {} to {}", route.source(), moved, route.target());
        } catch (IOException | TimeoutException | RuntimeException e) {
            fail(state, progress, e);
        } catch (InterruptedException e) {
            fail(state, progress, e);
            Thread.currentThread().interrupt();
        }
    }

    private void fail(RouteState state, RouteMover.MoveProgress progress, Exception e) {
        state.failed(progress.moved(), e);
        meters.counter("dynamicindex.scheduler.moved", "route", state.route().name()).increment(progress.moved());
        meters.counter("dynamicindex.scheduler.ticks.failed", "route", state.route().name()).increment();
        LOG.warn("{}: tick failed after {} confirmed move(s); the rest stays in the source: {}",
                state.route().source(), progress.moved(), e.toString());
    }

    /** Creates missing queues as durable classic queues; existing queues keep their own arguments. */
    private void declareQueues(Route route) {
        declareIfMissing(sourceBroker, route.source());
        declareIfMissing(targetBroker, route.target());
    }

    private static void declareIfMissing(BrokerConnection broker, String queue) {
        try (Channel channel = broker.openChannel()) {
            channel.queueDeclarePassive(queue);
        } catch (IOException | TimeoutException | RuntimeException missing) {
            try (Channel channel = broker.openChannel()) {
                channel.queueDeclare(queue, true, false, false, null);
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.warn("{}: cannot declare the queue on {} now; ticks will retry the broker: {}", queue,
                        broker.address(), e.toString());
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        ticks.forEach(future -> future.cancel(false));
        ticks.clear();
        taskScheduler.setWaitForTasksToCompleteOnShutdown(true);
        taskScheduler.setAwaitTerminationSeconds(30);
        taskScheduler.shutdown();
        sourceBroker.close();
        targetBroker.close();
        running = false;
        LOG.info("scheduler stopped");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public List<RouteState> states() {
        return List.copyOf(states);
    }
}
