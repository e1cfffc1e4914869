package io.dynamicindex.indexer.health;

import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/** The status of every configured queue, by queue name; the health component {@code queues} shows them all. */
public final class QueueStatuses {

    private final Map<String, QueueStatus> byQueue;

    public QueueStatuses(Collection<String> queues, MeterRegistry meters, Clock clock) {
        Map<String, QueueStatus> statuses = new LinkedHashMap<>();
        queues.forEach(queue -> statuses.put(queue, new QueueStatus(queue, meters, clock)));
        this.byQueue = Collections.unmodifiableMap(statuses);
    }

    public QueueStatus of(String queue) {
        QueueStatus status = byQueue.get(queue);
        if (status == null) {
            throw new IllegalArgumentException("no status for queue " + queue);
        }
        return status;
    }

    /** Every queue's status, in the order of the configuration. */
    public List<QueueStatus> all() {
        return List.copyOf(byQueue.values());
    }

    /** One health component per queue, DOWN while the queue is halted. */
    public HealthContributor health() {
        return CompositeHealthContributor.fromMap(byQueue);
    }
}
