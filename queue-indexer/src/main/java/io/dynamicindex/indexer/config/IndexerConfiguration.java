package io.dynamicindex.indexer.config;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.filter.JdbcLookupFilter;
import io.dynamicindex.indexer.filter.MessageFilter;

/** Resolves the indexer's settings once at startup, from structured and legacy keys, and logs them. */
@Configuration(proxyBeanMethods = false)
public class IndexerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IndexerConfiguration.class);

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
            filters.put(name, new JdbcLookupFilter(name, settings, jdbc, json,
                    meters.counter("dynamicindex.indexer.filter.queries", "filter", name)));
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
        });
        return plan;
    }
}
