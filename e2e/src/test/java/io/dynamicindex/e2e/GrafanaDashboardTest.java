package io.dynamicindex.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ops/grafana/dynamic-index.json against the daemons' sources: it parses, each panel queries something, each area of
 * the pipeline has its panels, and every metric name is one a daemon or Micrometer's JVM binders expose under
 * Micrometer's Prometheus naming.
 */
class GrafanaDashboardTest {

    private static final Path ROOT = repositoryRoot();
    private static final String DATASOURCE_VARIABLE = "${datasource}";
    /** A meter registration whose name is a literal: {@code meters.counter("dynamicindex.x", ...)}. */
    private static final Pattern REGISTRATION = Pattern.compile("(counter|timer|summary|gauge|Counter\\.builder"
            + "|Timer\\.builder|DistributionSummary\\.builder|Gauge\\.builder|FunctionCounter\\.builder"
            + "|FunctionTimer\\.builder)\\(\\s*\"(dynamicindex\\.[a-z0-9_.]+)\"");

    private final GrafanaDashboard dashboard = GrafanaDashboard.load(ROOT.resolve("ops/grafana/dynamic-index.json"));

    @Test
    void readsExpressionsOfPanelsNestedInCollapsedRows(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("dashboard.json");
        Files.writeString(file, """
                {"title": "t", "panels": [
                  {"type": "row", "title": "Open", "collapsed": false, "panels": []},
                  {"type": "timeseries", "title": "A", "targets": [{"expr": "rate(dynamicindex_x_total[1m])"}]},
                  {"type": "row", "title": "Closed", "collapsed": true, "panels": [
                    {"type": "stat", "title": "B", "targets": [{"expr": "jvm_threads_live_threads"},
                                                              {"expr": "process_cpu_usage / system_cpu_usage"}]}
                  ]}
                ]}
                """, StandardCharsets.UTF_8);

        GrafanaDashboard parsed = GrafanaDashboard.load(file);

        assertThat(parsed.rowTitles()).containsExactly("Open", "Closed");
        assertThat(parsed.panels()).extracting(GrafanaDashboard.Panel::title).containsExactly("A", "B");
        assertThat(parsed.expressions()).containsExactly("rate(dynamicindex_x_total[1m])", "jvm_threads_live_threads",
                "process_cpu_usage / system_cpu_usage");
        assertThat(parsed.metricNames()).containsExactly("dynamicindex_x_total", "jvm_threads_live_threads",
                "process_cpu_usage", "system_cpu_usage");
    }

    @Test
    void everyPanelHasATitleAndAQuery() {
        assertThat(dashboard.title()).isEqualTo("Dynamic Index");
        assertThat(dashboard.panels()).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.title()).as("a panel's title").isNotBlank();
            assertThat(panel.expressions()).as("queries of panel '%s'", panel.title()).anyMatch(e -> !e.isBlank());
        });
    }

    @Test
    void everyPanelQueriesTheDatasourceVariable() {
        assertThat(dashboard.variables()).containsEntry("datasource", "datasource").containsEntry("job", "query")
                .containsEntry("instance", "query");
        assertThat(dashboard.panels()).allSatisfy(panel -> assertThat(panel.datasourceUid())
                .as("data source of panel '%s'", panel.title()).isEqualTo(DATASOURCE_VARIABLE));
    }

    @Test
    void coversEveryAreaOfThePipeline() {
        assertThat(dashboard.rowTitles()).containsExactly("Queues", "Rates", "End-to-end lag", "Batch latency",
                "Retries", "Dead letters", "Pipeline states", "Server", "JVM");
        assertThat(dashboard.metricNames()).contains(
                "dynamicindex_scheduler_queue_depth",
                "dynamicindex_server_accepted_total", "dynamicindex_scheduler_moved_total",
                "dynamicindex_indexer_consumed_total", "dynamicindex_indexer_applied_total",
                "dynamicindex_indexer_acknowledged_total",
                "dynamicindex_indexer_lag_seconds",
                "dynamicindex_indexer_bulk_seconds_sum", "dynamicindex_indexer_bulk_seconds_count",
                "dynamicindex_indexer_bulk_seconds_max",
                "dynamicindex_indexer_bulk_retries_total",
                "dynamicindex_indexer_dead_lettered_total",
                "dynamicindex_indexer_pipeline_state",
                "dynamicindex_server_publish_confirm_seconds_sum",
                "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum", "process_cpu_usage", "jvm_threads_live_threads");
        assertThat(dashboard.expressions()).anyMatch(e -> e.contains("dynamicindex_indexer_lag_seconds{")
                && e.contains("quantile=\"0.99\"")).anyMatch(e -> e.contains("dynamicindex_indexer_lag_seconds{")
                && e.contains("quantile=\"0.5\""));
    }

    @Test
    void readsSeriesNamesFromPrometheusText() {
        String text = """
                # HELP dynamicindex_indexer_applied_total
                # TYPE dynamicindex_indexer_applied_total counter
                dynamicindex_indexer_applied_total{queue="Q_INDEX1"} 12.0
                dynamicindex_indexer_lag_seconds{queue="Q_INDEX1",quantile="0.99"} 0.25
                dynamicindex_server_auth_failed_total 1.0

                process_cpu_usage 0.01
                # EOF
                """;

        assertThat(GrafanaDashboard.exposedNames(text)).containsExactly("dynamicindex_indexer_applied_total",
                "dynamicindex_indexer_lag_seconds", "dynamicindex_server_auth_failed_total", "process_cpu_usage");
    }

    @Test
    void usesOnlyMetersTheDaemonsRegisterUnderTheirPrometheusNames() throws IOException {
        Set<String> declared = prometheusNamesOfDeclaredMeters();
        assertThat(declared).as("meters found in queue-*/src/main/java")
                .contains("dynamicindex_indexer_applied_total", "dynamicindex_indexer_bulk_seconds_sum");

        Set<String> used = new TreeSet<>(dashboard.metricNames());
        used.removeIf(name -> !name.startsWith("dynamicindex_"));

        assertThat(used).as("dashboard names of the daemons' meters, against those the sources register")
                .isNotEmpty().isSubsetOf(declared);
    }

    @Test
    void usesOnlyJvmMetricsThatMicrometersBindersExpose() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (JvmGcMetrics gc = new JvmGcMetrics(); JvmHeapPressureMetrics pressure = new JvmHeapPressureMetrics()) {
            // the binders Spring Boot's JVM and system metrics auto-configuration binds
            List.of(gc, pressure, new JvmMemoryMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
                    new ProcessorMetrics(), new UptimeMetrics()).forEach(binder -> binder.bindTo(registry));
            // jvm.gc.pause exists from the first collection after binding
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                System.gc();
                return GrafanaDashboard.exposedNames(registry.scrape()).contains("jvm_gc_pause_seconds_count");
            });
            Set<String> exposed = GrafanaDashboard.exposedNames(registry.scrape());

            assertThat(dashboard.metricNames()).filteredOn(name -> !name.startsWith("dynamicindex_"))
                    .as("JVM, process and system names, against Micrometer's binders").isNotEmpty()
                    .isSubsetOf(exposed);
        } finally {
            registry.close();
        }
    }

    /** Every Prometheus series name that the meters registered in the daemons' sources can produce. */
    private static Set<String> prometheusNamesOfDeclaredMeters() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> daemons = Files.list(ROOT)) {
            for (Path daemon : daemons.filter(path -> path.getFileName().toString().startsWith("queue-")).toList()) {
                Path sources = daemon.resolve("src/main/java");
                if (!Files.isDirectory(sources)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(sources)) {
                    files.filter(file -> file.toString().endsWith(".java"))
                            .forEach(file -> addRegistrations(read(file), names));
                }
            }
        }
        return names;
    }

    /** Micrometer's Prometheus naming: dots become underscores, then a suffix by meter type. */
    private static void addRegistrations(String source, Set<String> names) {
        Matcher matcher = REGISTRATION.matcher(source);
        while (matcher.find()) {
            String base = matcher.group(2).replace('.', '_');
            String kind = matcher.group(1).toLowerCase(Locale.ROOT);
            if (kind.contains("counter")) {
                names.add(base + "_total");
            } else if (kind.contains("timer")) {
                Stream.of("", "_count", "_sum", "_max").forEach(suffix -> names.add(base + "_seconds" + suffix));
            } else if (kind.contains("summary")) {
                Stream.of("", "_count", "_sum", "_max").forEach(suffix -> names.add(base + suffix));
            } else {
                names.add(base);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: the first directory up from the working directory that holds ops/grafana. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("ops/grafana"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no ops/grafana above " + Path.of("").toAbsolutePath());
    }
}
