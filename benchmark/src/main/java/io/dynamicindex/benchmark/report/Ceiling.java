package io.dynamicindex.benchmark.report;

import java.util.Map;

/**
 * A ceiling measured in this run: the best a component does alone, with no code of ours in the way.
 *
 * @param name    "rabbitmq-one-hop" or "elasticsearch-bulk"
 * @param setup   how it was measured, in words
 * @param rate    messages (or documents) per second
 * @param details every further figure (per-configuration rates, the tool's own averages)
 */
public record Ceiling(String name, String setup, double rate, Map<String, Object> details) {
}
