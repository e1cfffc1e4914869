package io.dynamicindex.indexer.config;

import java.util.Map;

import io.dynamicindex.indexer.filter.MessageFilter;

/** Cross-field rules of the indexer's settings; each failure names the keys, the values and what to change. */
final class IndexerSettingsValidator {

    private IndexerSettingsValidator() {
    }

    static void validate(IndexerProperties properties, Map<String, MessageFilter> filters) {
        if (properties.prefetch() < properties.buffer().maxSize()) {
            throw new IllegalStateException("dynamic-index.indexer.prefetch=" + properties.prefetch()
                    + " is smaller than dynamic-index.indexer.buffer.max-size=" + properties.buffer().maxSize()
                    + ": a batch could never fill; raise prefetch or lower max-size");
        }
        if (properties.buffer().maxInterval().isNegative() || properties.buffer().maxInterval().isZero()) {
            throw new IllegalStateException("dynamic-index.indexer.buffer.max-interval="
                    + properties.buffer().maxInterval() + " must be positive");
        }
        properties.queues().forEach((queue, settings) -> {
            if (!filters.containsKey(settings.filter())) {
                throw new IllegalStateException("dynamic-index.indexer.queues." + queue + ".filter='"
                        + settings.filter() + "' names no filter bean; known filters: " + filters.keySet());
            }
        });
    }
}
