package io.dynamicindex.indexer.health;

import java.util.function.Supplier;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health component {@code elasticsearch}: UP when the cluster answers its health call (with the cluster's own
 * status as a detail), DOWN when it does not answer within the client's timeouts.
 */
public final class ElasticsearchHealth implements HealthIndicator {

    /** Answers Elasticsearch's cluster status (green, yellow, red), or throws when there is no answer. */
    @FunctionalInterface
    public interface ClusterHealth {
        String status() throws Exception;
    }

    private final ClusterHealth cluster;
    private final Supplier<Object> hosts;

    public ElasticsearchHealth(ClusterHealth cluster, Supplier<Object> hosts) {
        this.cluster = cluster;
        this.hosts = hosts;
    }

    @Override
    public Health health() {
        try {
            String status = cluster.status();
            return ("red".equals(status) ? Health.down() : Health.up()).withDetail("cluster", status)
                    .withDetail("hosts", hosts.get()).build();
        } catch (Exception e) {
            return Health.down().withDetail("hosts", hosts.get()).withDetail("error", e.toString()).build();
        }
    }
}
