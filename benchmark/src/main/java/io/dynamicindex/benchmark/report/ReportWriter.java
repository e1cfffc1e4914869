package io.dynamicindex.benchmark.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a report three ways: the console text, the JSON file with every figure, and BENCHMARKS.md. */
public final class ReportWriter {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ReportWriter() {
    }

    public static String console(BenchmarkReport report) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append(Tables.main(report).console()).append('\n');
        out.append("End-to-end steps:\n").append(Tables.steps(report).console()).append('\n');
        stageNotes(report).ifPresent(line -> out.append(line).append("\n\n"));
        out.append("Goals:\n").append(Tables.goals(report).console()).append('\n');
        Reading.of(report).forEach(line -> out.append(line).append('\n'));
        out.append(String.format("%nRabbitMQ: %s; Elasticsearch: %s; PostgreSQL: %s%n", report.run().rabbitmq(),
                report.run().elasticsearch(), report.run().postgres()));
        return out.toString();
    }

    public static void json(BenchmarkReport report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, JSON.writeValueAsString(Map.of("report", report,
                "goalsMet", Goals.asMap(report.goals()))), StandardCharsets.UTF_8);
    }

    public static void markdown(BenchmarkReport report, Path file) throws IOException {
        Files.writeString(file, MarkdownReport.render(report, stageNotes(report).orElse("")),
                StandardCharsets.UTF_8);
    }

    /** The scheduler's rate accuracy and the indexer's drain beside its consume + _bulk reference, when measured. */
    static Optional<String> stageNotes(BenchmarkReport report) {
        List<String> notes = new ArrayList<>();
        rateAccuracy(report).ifPresent(notes::add);
        consumeBulk(report).ifPresent(notes::add);
        return notes.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", notes));
    }

    /** "queue-indexer drain beside the consume + _bulk reference: ...". */
    static Optional<String> consumeBulk(BenchmarkReport report) {
        return report.stages().stream().filter(s -> s.stage().equals("queue-indexer")
                && s.details().get("consumeBulkReference") != null).findFirst().map(s -> {
                    double reference = (double) s.details().get("consumeBulkReference");
                    return String.format("queue-indexer drain beside the consume + _bulk reference (the same backlog "
                            + "drained by two consumers at prefetch 2000 sending batches of 500 to _bulk, no filter, "
                            + "no ordering): %,.0f vs %,.0f msgs/s, ratio %.2f", s.throughput(), reference,
                            s.throughput() / reference);
                });
    }

    /** "queue-scheduler rate accuracy: N per tick configured, ... measured". */
    @SuppressWarnings("unchecked")
    static Optional<String> rateAccuracy(BenchmarkReport report) {
        return report.stages().stream().filter(s -> s.stage().equals("queue-scheduler")).findFirst().map(s -> {
            Map<String, Object> accuracy = (Map<String, Object>) s.details().get("rateAccuracy");
            return String.format("queue-scheduler rate accuracy: %s messages per tick configured, %.1f measured on "
                            + "average over %s ticks (min %s, max %s)", accuracy.get("configuredPerTick"),
                    (double) accuracy.get("measuredPerTickMean"), accuracy.get("ticks"),
                    accuracy.get("measuredPerTickMin"), accuracy.get("measuredPerTickMax"));
        });
    }
}
