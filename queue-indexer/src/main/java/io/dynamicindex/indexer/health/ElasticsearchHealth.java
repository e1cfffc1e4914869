package io.dynamicindex.indexer.health;

import java.util.function.Supplier;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health component {@code elasticsearch}: UP when the cluster answers its health call (with the cluster's own
 * status as a detail), DOWN when it does not answer within the client's timeouts. Shows the engine's distribution
 * and version as last read, and is DOWN while that engine is one the indexer does not support.
 */
public final class ElasticsearchHealth implements HealthIndicator {

    /** Answers Elasticsearch's cluster status (green, yellow, red), or throws when there is no answer. */
    @FunctionalInterface
    public interface ClusterHealth {
        String status() throws Exception;
    }

    private final ClusterHealth cluster;
    private final Supplier<Object> hosts;
    private final EngineStatus engine;

    public ElasticsearchHealth(ClusterHealth cluster, Supplier<Object> hosts, EngineStatus engine) {
        this.cluster = cluster;
        this.hosts = hosts;
        this.engine = engine;
    }

    @Override
    public Health health() {
        Health.Builder health;
        try {
            String status = cluster.status();
            health = ("red".equals(status) ? Health.down() : Health.up()).withDetail("cluster", status);
        } catch (Exception e) {
            health = Health.down().withDetail("error", e.toString());
        }
        if (!engine.view().supported()) {
            health.down();
        }
        return health.withDetail("hosts", hosts.get()).withDetails(engine.details()).build();
    }
}
