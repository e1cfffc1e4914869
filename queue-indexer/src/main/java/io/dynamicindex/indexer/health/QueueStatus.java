package io.dynamicindex.indexer.health;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The state of one queue's pipeline. Each of its threads (workers, consumers) reports its own condition; the queue's
 * state is the worst of them. Logs each change of the queue's state once (ERROR on halting, with what to do), and
 * exposes it as the gauge {@code dynamicindex.indexer.pipeline.state{queue,state}} (1 for the current state) and as a
 * health component that is DOWN while halted. Thread-safe.
 */
public final class QueueStatus implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(QueueStatus.class);

    private final String queue;
    private final Clock clock;
    private final Map<String, Condition> conditions = new ConcurrentHashMap<>();
    private volatile boolean started;
    private Condition announced = new Condition(PipelineState.STOPPED, "not started", Instant.EPOCH);

    /** One thread's condition. */
    public record Condition(PipelineState state, String reason, Instant since) {
    }

    public QueueStatus(String queue, MeterRegistry meters, Clock clock) {
        this.queue = queue;
        this.clock = clock;
        for (PipelineState state : PipelineState.values()) {
            Gauge.builder("dynamicindex.indexer.pipeline.state", this, s -> s.state() == state ? 1 : 0)
                    .tag("queue", queue).tag("state", state.name().toLowerCase())
                    .description("1 for the queue pipeline's current state").register(meters);
        }
    }

    public String queue() {
        return queue;
    }

    public void started() {
        started = true;
        announce();
    }

    public void stopped() {
        started = false;
        conditions.clear();
        announce();
    }

    /** The reporting source (a thread) is in trouble; the queue takes the worst condition of its sources. */
    public void report(String source, PipelineState state, String reason) {
        Condition current = conditions.get(source);
        if (current == null || current.state() != state || !current.reason().equals(reason)) {
            conditions.put(source, new Condition(state, reason, clock.instant()));
            announce();
        }
    }

    /** The source is fine again. */
    public void clear(String source) {
        if (conditions.remove(source) != null) {
            announce();
        }
    }

    public PipelineState state() {
        return worst().state();
    }

    public Condition worst() {
        if (!started) {
            return new Condition(PipelineState.STOPPED, "stopped", clock.instant());
        }
        Condition worst = new Condition(PipelineState.RUNNING, "", clock.instant());
        for (Condition condition : conditions.values()) {
            if (condition.state().compareTo(worst.state()) > 0) {
                worst = condition;
            }
        }
        return worst;
    }

    @Override
    public Health health() {
        Condition worst = worst();
        Health.Builder health = worst.state() == PipelineState.HALTED ? Health.down() : Health.up();
        health.withDetail("state", worst.state());
        if (!worst.reason().isEmpty()) {
            health.withDetail("reason", worst.reason()).withDetail("since", worst.since().toString());
        }
        return health.build();
    }

    private synchronized void announce() {
        Condition now = worst();
        if (now.state() == announced.state() && now.reason().equals(announced.reason())) {
            return;
        }
        if (now.state() == PipelineState.HALTED) {
            LOG.error("{}: HALTED: {}. Nothing is acknowledged or dead-lettered; the batch is retried slowly and "
                    + "the queue resumes by itself once the cause is fixed", queue, now.reason());
        } else if (now.state() == PipelineState.BACKING_OFF) {
            LOG.warn("{}: backing off: {}", queue, now.reason());
        } else {
            LOG.info("{}: {} (was {})", queue, now.state(), announced.state());
        }
        announced = now;
    }
}
