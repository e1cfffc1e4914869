package io.dynamicindex.indexer.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The reference article's bulk thread-pool keys, under {@code elastic.thread}; when set they override
 * {@code dynamic-index.indexer.bulk}.
 *
 * @param corePoolSize  threads kept alive.
 * @param maxPoolSize   most bulk requests in flight.
 * @param queueCapacity bulk requests that may wait for a thread.
 */
@ConfigurationProperties(prefix = "elastic.thread", ignoreUnknownFields = false)
public record LegacyElasticProperties(Integer corePoolSize, Integer maxPoolSize, Integer queueCapacity) {
}
