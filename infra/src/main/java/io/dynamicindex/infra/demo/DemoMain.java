package io.dynamicindex.infra.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.Engine;
import io.dynamicindex.infra.EmbeddedBroker;
import io.dynamicindex.infra.Ports;
import io.dynamicindex.infra.SearchNode;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;

/**
 * Runs the whole pipeline on embedded defaults, sends sample traffic, shows progress, prints a summary, and keeps
 * everything running until Ctrl-C (or exits after the summary with {@code --exit}). Options:
 * {@code --seconds N} (traffic duration, default 30), {@code --rate N} (messages per second, default 2000).
 */
public final class DemoMain {

    static final String API_KEY = "demo-key";
    static final String SOURCE_QUEUE = "TSHOP";
    static final String INDEX = "products";
    private static final String SCHEMA = "dynamic_index_demo";

    private final Path root;
    private final Path logs;
    private final List<AutoCloseable> running = new ArrayList<>();

    private DemoMain(Path root) {
        this.root = root;
        this.logs = root.resolve(".demo");
    }

    public static void main(String[] args) throws Exception {
        DemoOptions options = DemoOptions.parse(args);
        DemoMain demo = new DemoMain(Path.of("").toAbsolutePath());
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stopAll, "demo-shutdown"));
        boolean everySearchable = demo.run(options);
        if (options.exitAfterSummary()) {
            demo.stopAll();
            System.exit(everySearchable ? 0 : 1);
        }
        System.out.println("Press Ctrl-C to stop everything.");
        new CountDownLatch(1).await();
    }

    private boolean run(DemoOptions options) throws Exception {
        Files.createDirectories(logs);
        say("starting an embedded AMQP broker (Qpid Broker-J)");
        EmbeddedBroker broker = EmbeddedBroker.start(Ports.free());
        running.add(broker);
        Engine engine = Engine.selected();
        say("starting an " + engine.product() + " node (about 15 s; choose another with DI_ENGINE=es8|opensearch2|es7)");
        int esPort = Ports.answers("127.0.0.1", 9200) ? Ports.free() : 9200;
        SearchNode node = engine.start(esPort, logs.resolve("es-data"), logs.resolve("elasticsearch.log"), "1g");
        running.add(node);
        ElasticsearchEndpoint elasticsearch = new ElasticsearchEndpoint(node.url(), "demo node");
        elasticsearch.deleteIndex(INDEX);
        PostgresEndpoint postgres = PostgresService.endpoint();
        postgres.dropSchema(SCHEMA);
        postgres.createSchema(SCHEMA);
        say("PostgreSQL: " + postgres.jdbcUrl() + " (" + postgres.origin() + "), schema " + SCHEMA);
        Daemons daemons = startDaemons(broker.port(), elasticsearch, postgres);
        return new DemoTraffic(daemons, elasticsearch, options).runAndReport();
    }

    /** The three daemons of the demo. */
    record Daemons(DaemonProcess server, DaemonProcess scheduler, DaemonProcess indexer) {
    }

    private Daemons startDaemons(int brokerPort, ElasticsearchEndpoint elasticsearch, PostgresEndpoint postgres) {
        Map<String, String> rabbit = Map.of("spring.rabbitmq.host", "127.0.0.1",
                "spring.rabbitmq.port", String.valueOf(brokerPort));
        Map<String, String> indexer = merge(rabbit, postgres.springProperties(SCHEMA),
                Map.of("dynamic-index.indexer.elasticsearch.hosts", elasticsearch.url()), config("queue-indexer"));
        DaemonProcess indexerProcess = daemon("queue-indexer", indexer, 0);
        Map<String, String> scheduler = merge(Map.of(
                "dynamic-index.scheduler.source.port", String.valueOf(brokerPort),
                "dynamic-index.scheduler.target.port", String.valueOf(brokerPort),
                "dynamic-index.console.indexers[0]", indexerProcess.url()), postgres.springProperties(SCHEMA),
                config("queue-scheduler"));
        DaemonProcess schedulerProcess = daemon("queue-scheduler", scheduler, 0);
        int management = Ports.free();
        Map<String, String> server = merge(rabbit, Map.of("management.server.port", String.valueOf(management)),
                config("queue-server"));
        DaemonProcess serverProcess = daemon("queue-server", server, management);
        return new Daemons(serverProcess, schedulerProcess, indexerProcess);
    }

    private DaemonProcess daemon(String module, Map<String, String> properties, int healthPort) {
        say("starting " + module + " (log: .demo/" + module + ".log)");
        DaemonProcess process = DaemonProcess.start(root, module, properties, healthPort,
                logs.resolve(module + ".log"));
        running.add(0, process);
        return process;
    }

    private Map<String, String> config(String module) {
        return Map.of("spring.config.additional-location",
                "file:" + root.resolve("config/demo/" + module + ".properties"));
    }

    @SafeVarargs
    private static Map<String, String> merge(Map<String, String>... maps) {
        Map<String, String> merged = new java.util.LinkedHashMap<>();
        for (Map<String, String> map : maps) {
            merged.putAll(map);
        }
        return merged;
    }

    private void stopAll() {
        if (running.isEmpty()) {
            return;
        }
        say("stopping " + running.size() + " component(s)");
        for (AutoCloseable component : running) {
            try {
                component.close();
            } catch (Exception e) {
                System.err.println("could not stop " + component + ": " + e);
            }
        }
        running.clear();
    }

    static void say(String line) {
        System.out.println("[demo] " + line);
    }

    /** Command-line options of the demo. */
    record DemoOptions(Duration duration, int rate, boolean exitAfterSummary) {
        static DemoOptions parse(String[] args) {
            Duration duration = Duration.ofSeconds(30);
            int rate = 2000;
            boolean exit = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seconds" -> duration = Duration.ofSeconds(Long.parseLong(args[++i]));
                    case "--rate" -> rate = Integer.parseInt(args[++i]);
                    case "--exit" -> exit = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; use --seconds N, --rate N, --exit");
                }
            }
            return new DemoOptions(duration, rate, exit);
        }
    }
}
