package io.dynamicindex.benchmark.report;

import java.util.Map;

/**
 * One step of the end-to-end search for the highest sustained rate.
 *
 * @param requestSize        changes per HTTP request
 * @param offeredRate        messages per second the load generator offered
 * @param acceptedRate       messages per second the queue server accepted
 * @param indexedRate        messages per second the indexer applied during the step
 * @param backlogSlope       growth of accepted-minus-applied over the step's second half, messages per second
 * @param backlogAtEnd       accepted-minus-applied when the load stopped
 * @param sustained          whether the pipeline kept up: accepted at least 97 % of offered and a backlog slope
 *                           under 3 % of the offered rate
 * @param latencyP50Ms       acceptance (HTTP 202) to searchable, median, ms
 * @param latencyP99Ms       the same, 99th percentile
 * @param probes             probes measured
 * @param cpuMicrosPerMessage CPU µs per message of every watched process (daemons, Elasticsearch, RabbitMQ, harness)
 * @param machineUtilisation share of both cores busy during the step, 0 to 1
 * @param otherUtilisation   share of both cores busy with processes the benchmark does not watch (others' work on
 *                           the same machine), 0 to 1
 */
public record EndToEndStep(int requestSize, double offeredRate, double acceptedRate, double indexedRate, double backlogSlope,
                           long backlogAtEnd, boolean sustained, Double latencyP50Ms, Double latencyP99Ms, int probes,
                           Map<String, Double> cpuMicrosPerMessage, double machineUtilisation,
                           double otherUtilisation) {
}
