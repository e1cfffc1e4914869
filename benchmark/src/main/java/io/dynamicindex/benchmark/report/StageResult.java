package io.dynamicindex.benchmark.report;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one stage measured.
 *
 * @param stage             short name, e.g. "queue-server batched"
 * @param setup             how it was driven, in words
 * @param throughput        messages per second
 * @param ceilingName       the ceiling it is compared with
 * @param ceiling           that ceiling's rate in this run
 * @param latencyP50Ms      median latency in ms; what it measures is latencyMeaning
 * @param latencyP99Ms      99th percentile latency in ms
 * @param latencyMeaning    from when to when the latency runs
 * @param cpuMicrosPerMessage CPU microseconds per message, per daemon (from /proc utime + stime)
 * @param peakRssMib        peak resident memory (VmHWM) per daemon, MiB
 * @param details           every further figure of the stage
 */
public record StageResult(String stage, String setup, double throughput, String ceilingName, double ceiling,
                          Double latencyP50Ms, Double latencyP99Ms, String latencyMeaning,
                          Map<String, Double> cpuMicrosPerMessage, Map<String, Double> peakRssMib,
                          Map<String, Object> details) {

    /** Throughput divided by the ceiling. */
    @JsonProperty("ratio")
    public double ratio() {
        return throughput / ceiling;
    }

    /** CPU seconds per 1,000 messages, per daemon: the same figure as cpuMicrosPerMessage, in other units. */
    @JsonProperty("cpuSecondsPer1000")
    public Map<String, Double> cpuSecondsPer1000() {
        Map<String, Double> seconds = new java.util.LinkedHashMap<>();
        cpuMicrosPerMessage.forEach((name, micros) -> seconds.put(name, micros / 1000.0));
        return seconds;
    }

    /** CPU microseconds per message of all daemons together. */
    @JsonProperty("cpuMicrosPerMessageTotal")
    public double cpuMicrosPerMessageTotal() {
        return cpuMicrosPerMessage.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
