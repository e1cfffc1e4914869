package io.dynamicindex.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.dynamicindex.benchmark.workload.Mix;
import io.dynamicindex.infra.Engine;

/**
 * Command-line options of a run.
 *
 * <ul>
 *   <li>{@code --short}: the short plan (CI); default the full plan.</li>
 *   <li>{@code --mix index=70,update=15,delete=5,prevDelete=5,triggerDelete=5}: the end-to-end message mix.</li>
 *   <li>{@code --key-space N}: product ids are drawn from N ids (default 1,000,000).</li>
 *   <li>{@code --json PATH}: where the JSON goes (default benchmark/target/benchmark-{full|short}.json).</li>
 *   <li>{@code --markdown PATH|none}: where the Markdown report goes (default BENCHMARKS.md for a full run, none
 *       for a short one).</li>
 *   <li>{@code --es-heap SIZE}: heap of the Elasticsearch node (default 2g).</li>
 *   <li>{@code --engine es8|opensearch2|es7}: the search engine whose node the run starts (default: {@code -Ddi.engine},
 *       else {@code DI_ENGINE}, else es8, Elasticsearch 8.19).</li>
 *   <li>{@code --set MODULE:KEY=VALUE}: a property for one daemon in every stage, e.g.
 *       {@code --set queue-indexer:dynamic-index.indexer.prefetch=2000}; repeatable. Default: none, every daemon runs
 *       with its defaults.</li>
 *   <li>{@code --stages server,scheduler,indexer,end-to-end,hot-documents,archive,rebuild,outbox}: which stages run after the ceilings (default all).
 *       A stage whose input queue was not filled by the stage before it gets it topped up over AMQP. A run of only
 *       some stages writes no Markdown unless {@code --markdown} asks for it.</li>
 *   <li>{@code --root PATH}: the repository root (default: found from the working directory).</li>
 * </ul>
 */
public record BenchmarkOptions(boolean shortMode, Path root, Path json, Path markdown, Mix mix, int keySpace,
                               String elasticsearchHeap, Engine engine,
                               Map<String, Map<String, String>> daemonSettings, Set<String> stages) {

    /** Every stage, in the order they run. */
    public static final List<String> ALL_STAGES = List.of("server", "scheduler", "indexer", "end-to-end",
            "hot-documents", "archive", "rebuild", "outbox");

    public static BenchmarkOptions parse(String... args) {
        boolean shortMode = false;
        Path root = null;
        String json = null;
        String markdown = null;
        Mix mix = Mix.DEFAULT;
        int keySpace = 1_000_000;
        String heap = "2g";
        Engine engine = Engine.selected();
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        Set<String> stages = new LinkedHashSet<>(ALL_STAGES);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> shortMode = true;
                case "--root" -> root = Path.of(value(args, ++i)).toAbsolutePath().normalize();
                case "--json" -> json = value(args, ++i);
                case "--markdown" -> markdown = value(args, ++i);
                case "--mix" -> mix = Mix.parse(value(args, ++i));
                case "--key-space" -> keySpace = Integer.parseInt(value(args, ++i));
                case "--es-heap" -> heap = value(args, ++i);
                case "--engine" -> engine = Engine.of(value(args, ++i), "--engine");
                case "--set" -> addSetting(settings, value(args, ++i));
                case "--stages" -> stages = stages(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --short, --mix, "
                        + "--key-space, --json, --markdown, --es-heap, --engine, --set, --stages, --root");
            }
        }
        root = root != null ? root : findRoot();
        Path jsonPath = json != null ? Path.of(json)
                : root.resolve("benchmark/target/benchmark-" + (shortMode ? "short" : "full") + ".json");
        boolean complete = stages.size() == ALL_STAGES.size();
        Path markdownPath = markdown == null ? (shortMode || !complete ? null : root.resolve("BENCHMARKS.md"))
                : markdown.equals("none") ? null : Path.of(markdown);
        return new BenchmarkOptions(shortMode, root, jsonPath.toAbsolutePath(),
                markdownPath == null ? null : markdownPath.toAbsolutePath(), mix, keySpace, heap, engine, settings, stages);
    }

    public Plan plan() {
        return shortMode ? Plan.quick() : Plan.full();
    }

    /** Where logs, the node's data and perf-test's output go. */
    public Path work() {
        return root.resolve("benchmark/target/run-" + (shortMode ? "short" : "full"));
    }

    public boolean runs(String stage) {
        return stages.contains(stage);
    }

    private static Set<String> stages(String list) {
        Set<String> stages = new LinkedHashSet<>();
        for (String stage : list.split(",")) {
            if (!ALL_STAGES.contains(stage.trim())) {
                throw new IllegalArgumentException("--stages: unknown stage '" + stage.trim() + "'; stages are "
                        + String.join(",", ALL_STAGES));
            }
            stages.add(stage.trim());
        }
        return stages;
    }

    private static void addSetting(Map<String, Map<String, String>> settings, String setting) {
        int colon = setting.indexOf(':');
        int equals = setting.indexOf('=');
        if (colon < 1 || equals < colon + 2) {
            throw new IllegalArgumentException("--set expects MODULE:KEY=VALUE, e.g. "
                    + "queue-indexer:dynamic-index.indexer.prefetch=2000; got '" + setting + "'");
        }
        settings.computeIfAbsent(setting.substring(0, colon), m -> new LinkedHashMap<>())
                .put(setting.substring(colon + 1, equals), setting.substring(equals + 1));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static Path findRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("queue-server")) && Files.isDirectory(candidate.resolve("benchmark"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + here + "; pass --root");
    }
}
