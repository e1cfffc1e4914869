package io.dynamicindex.benchmark.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A plain reading of one run's figures: the slowest stage alone, and where the cores went at the best end-to-end
 * step (cores used per process = CPU µs per message x messages per second), which tells a CPU-bound pipeline from
 * one that waits.
 */
final class Reading {

    private Reading() {
    }

    static List<String> of(BenchmarkReport report) {
        List<String> lines = new ArrayList<>();
        report.stages().stream()
                .filter(s -> s.stage().startsWith("queue-") && !s.stage().equals("queue-server single"))
                .min(Comparator.comparingDouble(StageResult::throughput))
                .ifPresent(s -> lines.add(String.format("Slowest stage alone: %s at %,.0f msgs/s (%.2f x %s), "
                                + "using %.2f of a core itself.", s.stage(), s.throughput(), s.ratio(),
                        s.ceilingName(), s.cpuMicrosPerMessageTotal() * s.throughput() / 1e6)));
        bestStep(report, 1).ifPresent(step -> lines.add("Single-change requests: " + coresLine(step)));
        report.stages().stream().filter(s -> s.stage().startsWith("hot documents"))
                .forEach(s -> lines.add(String.format("Hot documents (%s): %.3f Elasticsearch operations per change "
                                + "with coalescing, %.3f without.", s.details().get("workload"),
                        s.details().get("operationsPerChangeOn"), s.details().get("operationsPerChangeOff"))));
        bestStep(report, 100).ifPresent(step -> {
            lines.add(coresLine(step));
            lines.add(serviceLine(report, step, "rabbitmq-one-hop", "rabbitmq",
                    "RabbitMQ spent %.0f µs of CPU per message in perf-test's one hop and %.0f µs per message of the"
                            + " pipeline, which makes two hops."));
            lines.add(serviceLine(report, step, "elasticsearch-bulk", "elasticsearch",
                    "Elasticsearch spent %.0f µs of CPU per document in the direct _bulk load and %.0f µs per message"
                            + " of the pipeline (its mix, bulk phases, refreshes and probe searches)."));
        });
        lines.removeIf(String::isEmpty);
        return lines;
    }

    private static String serviceLine(BenchmarkReport report, EndToEndStep step, String ceilingName, String service,
                                      String format) {
        Double inPipeline = step.cpuMicrosPerMessage().get(service);
        Object inCeiling = report.ceilings().stream().filter(c -> c.name().equals(ceilingName)).findFirst()
                .map(c -> c.details().get(service + "CpuMicrosPerMessage")).orElse(null);
        return inPipeline == null || !(inCeiling instanceof Number number) ? ""
                : String.format(format, number.doubleValue(), inPipeline);
    }

    private static java.util.Optional<EndToEndStep> bestStep(BenchmarkReport report, int requestSize) {
        return report.endToEndSteps().stream().filter(step -> step.requestSize() == requestSize)
                .filter(EndToEndStep::sustained)
                .max(Comparator.comparingDouble(EndToEndStep::offeredRate));
    }

    private static String coresLine(EndToEndStep step) {
        StringBuilder line = new StringBuilder(String.format("At the best sustained end-to-end step (%,.0f msgs/s)"
                + " the cores went to: ", step.offeredRate()));
        step.cpuMicrosPerMessage().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> line.append(String.format("%s %.2f, ", e.getKey(),
                        e.getValue() * step.indexedRate() / 1e6)));
        line.append(String.format("of %d; both cores were %.0f %% busy, %.0f %% of them with processes outside the "
                        + "benchmark.", Runtime.getRuntime().availableProcessors(), 100 * step.machineUtilisation(),
                100 * step.otherUtilisation()));
        return line.toString();
    }
}
