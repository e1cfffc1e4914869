package io.dynamicindex.indexer.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The reference article's filter key, under {@code queue}.
 *
 * @param filter the filter bean per queue as a SpEL inline map, e.g. {@code {Q_INDEX1: "emptyFilter"}}; a queue
 *               missing from the map gets emptyFilter.
 */
@ConfigurationProperties(prefix = "queue", ignoreUnknownFields = false)
public record LegacyQueueProperties(String filter) {
}
