package io.dynamicindex.benchmark.report;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report's tables, shared by the console and BENCHMARKS.md: the main table (ceilings, each stage, end to end),
 * the end-to-end steps, and the goals.
 */
final class Tables {

    private Tables() {
    }

    static TextTable main(BenchmarkReport report) {
        TextTable table = new TextTable("Stage", "msgs/s", "Ceiling msgs/s", "Ratio", "p50 ms", "p99 ms",
                "CPU µs/msg", "CPU s/1000 msgs", "Peak RSS MiB");
        for (Ceiling ceiling : report.ceilings()) {
            table.row("ceiling: " + ceiling.name(), count(ceiling.rate()), "", "", "", "", "", "", "");
        }
        for (StageResult stage : report.stages()) {
            table.row(stage.stage(), count(stage.throughput()), count(stage.ceiling()),
                    String.format("%.2f", stage.ratio()), millis(stage.latencyP50Ms()), millis(stage.latencyP99Ms()),
                    perDaemon(stage.cpuMicrosPerMessage(), "%.1f", true),
                    perDaemon(stage.cpuSecondsPer1000(), "%.4f", true),
                    perDaemon(stage.peakRssMib(), "%.0f", false));
        }
        return table;
    }

    static TextTable steps(BenchmarkReport report) {
        TextTable table = new TextTable("Changes/request", "Offered/s", "Accepted/s", "Applied/s", "Backlog slope/s", "Backlog at end",
                "p50 ms", "p99 ms", "Probes", "Cores busy (others)", "CPU µs/msg per process", "Sustained");
        for (EndToEndStep step : report.endToEndSteps()) {
            table.row(String.valueOf(step.requestSize()), count(step.offeredRate()), count(step.acceptedRate()), count(step.indexedRate()),
                    String.format("%+.0f", step.backlogSlope()), String.valueOf(step.backlogAtEnd()),
                    millis(step.latencyP50Ms()), millis(step.latencyP99Ms()), String.valueOf(step.probes()),
                    String.format("%.0f %% (%.0f %%)", 100 * step.machineUtilisation(),
                            100 * step.otherUtilisation()),
                    perDaemon(step.cpuMicrosPerMessage(), "%.1f", false), step.sustained() ? "yes" : "no");
        }
        return table;
    }

    static TextTable goals(BenchmarkReport report) {
        TextTable table = new TextTable("Goal", "Measured", "Met");
        report.goals().forEach(goal -> table.row(goal.goal(), goal.measured(), goal.met() ? "yes" : "no"));
        return table;
    }

    static String count(double value) {
        return String.format("%,.0f", value);
    }

    static String millis(Double value) {
        return value == null ? "-" : String.format("%.0f", value);
    }

    /** One value as is; several as "total (a x, b y)" or "a x, b y". */
    private static String perDaemon(Map<String, Double> values, String format, boolean withTotal) {
        if (values.size() == 1) {
            return String.format(format, values.values().iterator().next());
        }
        String parts = values.entrySet().stream()
                .map(e -> abbreviation(e.getKey()) + " " + String.format(format, e.getValue()))
                .collect(Collectors.joining(", "));
        if (!withTotal) {
            return parts;
        }
        double total = values.values().stream().mapToDouble(Double::doubleValue).sum();
        return String.format(format, total) + " (" + parts + ")";
    }

    private static String abbreviation(String name) {
        return switch (name) {
            case "queue-server" -> "srv";
            case "queue-scheduler" -> "sch";
            case "queue-indexer" -> "idx";
            case "elasticsearch" -> "es";
            case "rabbitmq" -> "mq";
            default -> name;
        };
    }
}
