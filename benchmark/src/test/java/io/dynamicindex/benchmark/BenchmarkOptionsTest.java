package io.dynamicindex.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dynamicindex.benchmark.workload.Mix;
import io.dynamicindex.infra.Engine;

class BenchmarkOptionsTest {

    @Test
    void fullRunWritesBenchmarksMarkdownAndShortRunDoesNot() {
        BenchmarkOptions full = BenchmarkOptions.parse("--root", "/repo");
        BenchmarkOptions quick = BenchmarkOptions.parse("--short", "--root", "/repo");

        assertThat(full.markdown()).isEqualTo(Path.of("/repo/BENCHMARKS.md"));
        assertThat(full.json()).isEqualTo(Path.of("/repo/benchmark/target/benchmark-full.json"));
        assertThat(full.plan().stepDuration().toSeconds()).isGreaterThanOrEqualTo(60);
        assertThat(quick.markdown()).isNull();
        assertThat(quick.json()).isEqualTo(Path.of("/repo/benchmark/target/benchmark-short.json"));
        assertThat(full.mix()).isEqualTo(Mix.DEFAULT);
        assertThat(full.daemonSettings()).isEmpty();
    }

    @Test
    void setGivesOneDaemonAProperty() {
        BenchmarkOptions options = BenchmarkOptions.parse("--root", "/repo",
                "--set", "queue-indexer:dynamic-index.indexer.prefetch=2000",
                "--set", "queue-indexer:dynamic-index.indexer.workers=4");

        assertThat(options.daemonSettings()).isEqualTo(Map.of("queue-indexer", Map.of(
                "dynamic-index.indexer.prefetch", "2000", "dynamic-index.indexer.workers", "4")));
    }

    @Test
    void takesTheEngineByNameAndRefusesAnUnknownOne() {
        assertThat(BenchmarkOptions.parse("--root", "/repo", "--engine", "es7").engine()).isEqualTo(Engine.ES7);
        assertThatThrownBy(() -> BenchmarkOptions.parse("--root", "/repo", "--engine", "solr"))
                .hasMessage("--engine='solr' is not an engine; use one of es8, opensearch2, es7");
    }

    @Test
    void refusesUnknownOptionsAndMalformedSettings() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("--root", "/repo", "--fast"))
                .hasMessageContaining("unknown option --fast");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--root", "/repo", "--set", "prefetch=2000"))
                .hasMessageContaining("MODULE:KEY=VALUE");
        assertThatThrownBy(() -> BenchmarkOptions.parse("--root", "/repo", "--set"))
                .hasMessageContaining("needs a value");
    }
}
