package io.dynamicindex.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.benchmark.report.BenchmarkReport;

/**
 * Runs the benchmark in short mode against the real services, so that the harness cannot rot. It asserts only that
 * every figure was produced, never a speed.
 */
class BenchmarkShortModeIT {

    private static final List<String> STAGES = List.of("queue-server batched", "queue-server single",
            "queue-scheduler", "queue-indexer", "end to end", "end to end single",
            "hot documents: 10 % of changes on 1 % of ids", "hot documents: 50 % of changes on 100 ids", "archive",
            "rebuild", "outbox-relay");
    private static final List<String> WITHOUT_LATENCY = List.of("hot documents", "archive", "rebuild", "outbox-relay");

    @Test
    void shortRunProducesEveryFigure() throws Exception {
        Path json = Path.of("target", "benchmark-short-it.json").toAbsolutePath();
        BenchmarkOptions options = BenchmarkOptions.parse("--short", "--json", json.toString());
        BenchmarkReport report = new Benchmark(options).run();
        BenchmarkMain.write(options, report);

        JsonNode written = JsonMapper.builder().build().readTree(Files.readString(json)).path("report");
        assertThat(written.path("run").path("rabbitmq").asString()).isNotBlank();
        assertThat(written.path("ceilings")).hasSize(2);
        written.path("ceilings").forEach(ceiling -> assertThat(ceiling.path("rate").asDouble()).isPositive());
        assertThat(written.path("stages")).extracting(stage -> stage.path("stage").asString())
                .containsExactlyElementsOf(STAGES);
        written.path("stages").forEach(BenchmarkShortModeIT::assertEveryFigure);
        assertThat(written.path("endToEndSteps")).isNotEmpty();
        assertThat(written.path("endToEndSteps")).extracting(step -> step.path("requestSize").asInt())
                .contains(100, 1);
        written.path("endToEndSteps").forEach(step -> {
            assertThat(step.path("indexedRate").asDouble()).isPositive();
            assertThat(step.path("latencyP99Ms").isNumber()).as("step p99").isTrue();
        });
        assertThat(written.path("goals")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(written.path("stages").get(2).path("details").path("rateAccuracy")
                .path("measuredPerTickMean").asDouble()).isPositive();
    }

    private static void assertEveryFigure(JsonNode stage) {
        String name = stage.path("stage").asString();
        assertThat(stage.path("throughput").asDouble()).as(name + " throughput").isPositive();
        assertThat(stage.path("ceiling").asDouble()).as(name + " ceiling").isPositive();
        assertThat(stage.path("ratio").asDouble()).as(name + " ratio").isPositive();
        JsonNode details = stage.path("details");
        if (name.startsWith("hot documents")) {
            assertThat(details.path("operationsPerChangeOn").asDouble()).as(name + " on").isPositive();
            assertThat(details.path("operationsPerChangeOff").asDouble()).as(name + " off").isPositive();
        } else if (name.equals("archive")) {
            assertThat(details.path("archiveOff").path("rate").asDouble()).as("archive off").isPositive();
            assertThat(details.path("archiveOn").path("archivedDocuments").asLong()).as("archived documents")
                    .isEqualTo(details.path("archiveOn").path("documents").asLong()).isPositive();
        } else if (name.equals("rebuild")) {
            assertThat(details.path("indexedThroughAlias").asLong()).isEqualTo(details.path("documents").asLong());
        } else if (name.equals("outbox-relay")) {
            assertThat(details.path("measuredRows").asLong()).isPositive();
        }
        if (WITHOUT_LATENCY.stream().noneMatch(name::startsWith)) {
            assertThat(stage.path("latencyP50Ms").isNumber()).as(name + " p50").isTrue();
            assertThat(stage.path("latencyP99Ms").isNumber()).as(name + " p99").isTrue();
        }
        assertThat(stage.path("cpuMicrosPerMessage").size()).as(name + " CPU").isPositive();
        stage.path("cpuMicrosPerMessage").forEach(cpu -> assertThat(cpu.asDouble()).as(name + " CPU").isPositive());
        stage.path("cpuSecondsPer1000").forEach(cpu -> assertThat(cpu.asDouble()).as(name + " CPU").isPositive());
        stage.path("peakRssMib").forEach(rss -> assertThat(rss.asDouble()).as(name + " RSS").isPositive());
    }
}
