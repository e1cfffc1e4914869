package io.dynamicindex.indexer.config;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.bulk.EngineWatch;
import io.dynamicindex.indexer.bulk.RestClientTransport;
import io.dynamicindex.indexer.filter.JdbcLookupFilter;
import io.dynamicindex.indexer.filter.MessageFilter;
import io.dynamicindex.indexer.health.ElasticsearchHealth;
import io.dynamicindex.indexer.health.EngineStatus;
import io.dynamicindex.indexer.health.QueueStatuses;

/** Resolves the indexer's settings once at startup, from structured and legacy keys, and logs them. */
@Configuration(proxyBeanMethods = false)
public class IndexerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IndexerConfiguration.class);
    private static final int CHANNEL_CALL_TIMEOUT_MILLIS = 10_000;

    /** Filter beans by bean name, plus the JDBC lookup filters defined in properties by their names. */
    @Bean
    FilterCatalog filterCatalog(Map<String, MessageFilter> beans, IndexerProperties properties, JdbcTemplate jdbc,
                                JsonMapper json, MeterRegistry meters) {
        Map<String, MessageFilter> filters = new LinkedHashMap<>(beans);
        properties.jdbcFilters().forEach((name, settings) -> {
            if (filters.containsKey(name)) {
                throw new IllegalStateException("dynamic-index.indexer.jdbc-filters." + name
                        + " has the name of an existing filter bean; rename it");
            }
            JdbcLookupFilter filter = new JdbcLookupFilter(name, settings, jdbc, json,
                    meters.counter("dynamicindex.indexer.filter.queries", "filter", name));
            filter.validate();
            filters.put(name, filter);
        });
        return new FilterCatalog(Map.copyOf(filters));
    }

    @Bean
    IndexerPlan indexerPlan(IndexerProperties properties, LegacyIndexerProperties legacy,
                            LegacyQueueProperties legacyFilters, LegacyElasticProperties legacyPool,
                            FilterCatalog filters) {
        IndexerPlan plan = IndexerPlan.resolve(properties, legacy, legacyFilters, legacyPool,
                filters.byName().keySet());
        LOG.info("queue-indexer: {}", plan);
        plan.queues().forEach((queue, settings) -> {
            if ((long) settings.consumers() * plan.prefetch() < (long) plan.workers() * plan.buffer().maxSize()) {
                LOG.warn("{}: {} consumer(s) x prefetch {} is below workers {} x buffer max-size {}: batches can "
                        + "never fill and will wait max-interval {}", queue, settings.consumers(), plan.prefetch(),
                        plan.workers(), plan.buffer().maxSize(), plan.buffer().maxInterval());
            }
            if (plan.guards().get(queue).allowsEveryIndex()) {
                LOG.warn("{}: no allowed-indices set, so its changes may touch every index; set "
                        + "dynamic-index.indexer.queues.{}.allowed-indices", queue, queue);
            }
        });
        return plan;
    }

    /** The state of every queue's pipeline; the health component {@code queues} shows one entry per queue. */
    @Bean
    QueueStatuses queueStatuses(IndexerPlan plan, MeterRegistry meters) {
        return new QueueStatuses(plan.queues().keySet(), meters, Clock.systemUTC());
    }

    @Bean
    HealthContributor queues(QueueStatuses statuses) {
        return statuses.health();
    }

    /**
     * Every channel call on the broker connection (consumer set-up, dead-letter replay) waits at most 10 s, so a
     * broker that stops answering, or blocks the connection during a resource alarm, fails the call instead of
     * holding its thread; a replay then answers 503 and marks nothing.
     */
    @Bean
    ConnectionFactoryCustomizer boundedChannelCalls() {
        return factory -> factory.setChannelRpcTimeout(CHANNEL_CALL_TIMEOUT_MILLIS);
    }

    /** The one Elasticsearch client; closed when the application context closes. */
    @Bean(destroyMethod = "close")
    RestClientTransport elasticsearchTransport(IndexerProperties properties) {
        return new RestClientTransport(properties.elasticsearch());
    }

    /** The engine's distribution and version as last read, for health and the status API. */
    @Bean
    EngineStatus engineStatus() {
        return new EngineStatus();
    }

    /**
     * Reads the engine while the context starts, before any queue consumes, so that an unsupported engine stops
     * startup; then again whenever the client gets an answer after getting none.
     */
    @Bean
    EngineWatch engineWatch(RestClientTransport transport, EngineStatus status) {
        EngineWatch watch = new EngineWatch(transport::perform, transport.hosts().toString(), status,
                Clock.systemUTC());
        transport.watch(watch);
        watch.checkAtStartup();
        return watch;
    }

    @Bean
    ElasticsearchHealth elasticsearch(RestClientTransport transport, EngineStatus engine) {
        return new ElasticsearchHealth(transport::clusterStatus, transport::hosts, engine);
    }
}
