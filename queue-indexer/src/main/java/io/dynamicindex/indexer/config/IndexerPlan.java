package io.dynamicindex.indexer.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.expression.ExpressionException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

import io.dynamicindex.indexer.bulk.ErrorAction;
import io.dynamicindex.indexer.bulk.ErrorPolicy;
import io.dynamicindex.indexer.config.IndexerProperties.Buffer;
import io.dynamicindex.indexer.config.IndexerProperties.BulkPool;
import io.dynamicindex.indexer.config.IndexerProperties.QueueSettings;
import io.dynamicindex.indexer.filter.ChangeGuard;

/**
 * The indexer's resolved settings: structured properties, overridden by the reference article's keys where those
 * are set. A queue of {@code indexer.input.queue} may also have a section under {@code dynamic-index.indexer.queues}
 * for what the article's keys cannot say (allowed-indices, error policy, archive); its consumers and filter then
 * come from the article's keys where those name the queue. Resolved once at startup; every rule it breaks stops
 * startup with the key, the value and the fix.
 */
public record IndexerPlan(Map<String, QueueSettings> queues, int workers, Buffer buffer, int prefetch,
                          BulkPool bulk, Map<String, ErrorPolicy> errorPolicies, Map<String, ChangeGuard> guards) {

    static IndexerPlan resolve(IndexerProperties properties, LegacyIndexerProperties legacy,
                               LegacyQueueProperties legacyFilters, LegacyElasticProperties legacyPool,
                               Set<String> filterNames) {
        Map<String, QueueSettings> queues = new LinkedHashMap<>(properties.queues());
        Map<String, String> consumers = spelMap("indexer.input.thread-count", legacy.input().threadCount());
        Map<String, String> filters = spelMap("queue.filter", legacyFilters.filter());
        requireListed("indexer.input.thread-count", consumers, legacy.input().queue());
        requireListed("queue.filter", filters, legacy.input().queue());
        for (String queue : legacy.input().queue()) {
            QueueSettings section = queues.getOrDefault(queue, new QueueSettings(1, "emptyFilter", Map.of(),
                    IndexerProperties.Archive.OFF, null, null));
            int consumerCount = consumers.containsKey(queue)
                    ? positive("indexer.input.thread-count[" + queue + "]", consumers.get(queue)) : section.consumers();
            queues.put(queue, section.withLegacy(consumerCount, filters.getOrDefault(queue, section.filter())));
        }
        IndexerPlan plan = new IndexerPlan(queues,
                legacy.output().threadCount() != null ? legacy.output().threadCount() : properties.workers(),
                buffer(properties.buffer(), legacy.output()), properties.prefetch(),
                pool(properties.bulk(), legacyPool), errorPolicies(properties, queues), guards(properties, queues));
        plan.validate(filterNames);
        return plan;
    }

    private static Buffer buffer(Buffer structured, LegacyIndexerProperties.Output legacy) {
        return new Buffer(legacy.bufferMaxSize() != null ? legacy.bufferMaxSize() : structured.maxSize(),
                legacy.bufferMaxIntervalMs() != null ? Duration.ofMillis(legacy.bufferMaxIntervalMs())
                        : structured.maxInterval(), structured.maxBytes());
    }

    private static Map<String, ErrorPolicy> errorPolicies(IndexerProperties properties,
                                                          Map<String, QueueSettings> queues) {
        Map<String, ErrorPolicy> policies = new LinkedHashMap<>();
        queues.forEach((queue, settings) -> {
            Map<String, Map<String, ErrorAction>> overrides = new LinkedHashMap<>();
            overrides.put("dynamic-index.indexer.error-policy", properties.errorPolicy());
            overrides.put("dynamic-index.indexer.queues." + queue + ".error-policy", settings.errorPolicy());
            policies.put(queue, ErrorPolicy.of(overrides));
        });
        return Map.copyOf(policies);
    }

    private static Map<String, ChangeGuard> guards(IndexerProperties properties, Map<String, QueueSettings> queues) {
        Map<String, ChangeGuard> guards = new LinkedHashMap<>();
        queues.forEach((queue, settings) -> guards.put(queue, new ChangeGuard(settings.allowedIndices(),
                settings.maxDeleteTargets() != null ? settings.maxDeleteTargets() : properties.maxDeleteTargets())));
        return Map.copyOf(guards);
    }

    private static BulkPool pool(BulkPool structured, LegacyElasticProperties legacy) {
        return new BulkPool(legacy.corePoolSize() != null ? legacy.corePoolSize() : structured.corePoolSize(),
                legacy.maxPoolSize() != null ? legacy.maxPoolSize() : structured.maxPoolSize(),
                legacy.queueCapacity() != null ? legacy.queueCapacity() : structured.queueCapacity());
    }

    private void validate(Set<String> filterNames) {
        require(workers > 0, "workers (indexer.output.thread-count or dynamic-index.indexer.workers)=" + workers
                + " must be positive");
        require(buffer.maxSize() > 0, "buffer max-size=" + buffer.maxSize() + " must be positive");
        require(buffer.maxInterval().toMillis() > 0, "buffer max-interval=" + buffer.maxInterval()
                + " must be positive");
        require(prefetch >= buffer.maxSize(), "dynamic-index.indexer.prefetch=" + prefetch + " is smaller than the "
                + "buffer max-size=" + buffer.maxSize() + ": a batch could never fill; raise prefetch or lower "
                + "max-size");
        require(bulk.maxPoolSize() >= bulk.corePoolSize(), "bulk max-pool-size=" + bulk.maxPoolSize()
                + " is smaller than core-pool-size=" + bulk.corePoolSize() + " (elastic.thread.* or "
                + "dynamic-index.indexer.bulk.*)");
        queues.forEach((queue, settings) -> require(filterNames.contains(settings.filter()), "the filter of queue "
                + queue + " is '" + settings.filter() + "', which names no filter; known filters: " + filterNames));
    }

    /** An entry of an article map for a queue that indexer.input.queue does not list would be ignored: refuse it. */
    private static void requireListed(String key, Map<String, String> entries, List<String> queues) {
        entries.keySet().stream().filter(queue -> !queues.contains(queue)).findFirst().ifPresent(queue -> {
            throw new IllegalStateException(key + "[" + queue + "] names a queue that indexer.input.queue=" + queues
                    + " does not list; add the queue there or remove the entry");
        });
    }

    private static void require(boolean rule, String message) {
        if (!rule) {
            throw new IllegalStateException(message);
        }
    }

    private static int positive(String key, String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(key + "='" + value + "' must be a positive number");
    }

    /** Reads the article's SpEL inline map, such as {Q_INDEX1: "2"}; absent means empty. */
    static Map<String, String> spelMap(String key, String expression) {
        if (expression == null || expression.isBlank()) {
            return Map.of();
        }
        try {
            // a read-only context: a literal map is all these keys may hold, never a type, a bean or a method call
            Object value = new SpelExpressionParser().parseExpression(expression)
                    .getValue(SimpleEvaluationContext.forReadOnlyDataBinding().build());
            if (value instanceof Map<?, ?> map) {
                Map<String, String> result = new LinkedHashMap<>();
                map.forEach((k, v) -> result.put(String.valueOf(k), String.valueOf(v)));
                return result;
            }
        } catch (ExpressionException e) {
            throw new IllegalStateException(key + "='" + expression + "' is not a map such as {Q_INDEX1: \"2\"}: "
                    + e.getMessage(), e);
        }
        throw new IllegalStateException(key + "='" + expression + "' is not a map such as {Q_INDEX1: \"2\"}");
    }
}
