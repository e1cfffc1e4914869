package io.dynamicindex.benchmark.environment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.dynamicindex.benchmark.measure.ProcessRef;
import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.Engine;
import io.dynamicindex.infra.SearchNode;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TestNames;

/**
 * The services of one benchmark run: RabbitMQ as infra finds it (the local service, else Testcontainers, else an
 * embedded Qpid broker), a node of the given engine of its own with the given heap (or
 * {@code DI_ELASTICSEARCH_URL}),
 * and PostgreSQL with a schema of its own. Owns the node and the schema and removes both on close.
 */
public final class BenchEnvironment implements AutoCloseable {

    private final Path root;
    private final Path work;
    private final RabbitEndpoint rabbit;
    private final ElasticsearchEndpoint elasticsearch;
    private final SearchNode node;
    private final PostgresEndpoint postgres;
    private final String schema = TestNames.unique("bench");

    private BenchEnvironment(Path root, Path work, SearchNode node, ElasticsearchEndpoint elasticsearch) {
        this.root = root;
        this.work = work;
        this.node = node;
        this.elasticsearch = elasticsearch;
        this.rabbit = RabbitService.endpoint();
        this.postgres = PostgresService.endpoint();
        postgres.createSchema(schema);
    }

    /** Finds or starts every service; work is where logs and the node's data go. */
    public static BenchEnvironment start(Path root, Path work, Engine engine, String elasticsearchHeap) {
        String url = System.getenv("DI_ELASTICSEARCH_URL");
        if (url != null && !url.isBlank()) {
            return new BenchEnvironment(root, work, null,
                    new ElasticsearchEndpoint(url, "environment DI_ELASTICSEARCH_URL"));
        }
        Path data = work.resolve("es-data");
        deleteTree(data);
        SearchNode node = engine.start(data, work.resolve("elasticsearch.log"), elasticsearchHeap);
        String product = new ElasticsearchEndpoint(node.url(), engine.product()).describe();
        return new BenchEnvironment(root, work, node, new ElasticsearchEndpoint(node.url(),
                product + " node (engine " + engine.id() + "), heap " + elasticsearchHeap));
    }

    public Path root() {
        return root;
    }

    public Path work() {
        return work;
    }

    public RabbitEndpoint rabbit() {
        return rabbit;
    }

    public ElasticsearchEndpoint elasticsearch() {
        return elasticsearch;
    }

    public PostgresEndpoint postgres() {
        return postgres;
    }

    public String schema() {
        return schema;
    }

    /**
     * The service processes whose CPU is worth showing beside the daemons': Elasticsearch, RabbitMQ, PostgreSQL (every
     * process of the server: the daemons' pooled backends, the WAL writer, the checkpointer), harness.
     */
    public List<ProcessRef> serviceProcesses() {
        List<ProcessRef> processes = new ArrayList<>();
        if (node != null) {
            node.serverPid().ifPresent(pid -> processes.add(new ProcessRef("elasticsearch", pid)));
        }
        if (rabbit.origin().equals("local service")) {
            findAny("beam.smp").ifPresent(pid -> processes.add(new ProcessRef("rabbitmq", pid)));
        }
        ProcessHandle.allProcesses().filter(BenchEnvironment::isPostmaster)
                .forEach(postmaster -> processes.add(ProcessRef.tree("postgresql", postmaster.pid())));
        processes.add(ProcessRef.self());
        return processes;
    }

    /**
     * PostgreSQL's first process, whose descendants are its backends: a backend of a short connection (the rebuild's,
     * the relay's) starts and ends between two readings, and only its parent's reaped-children time still holds it.
     */
    private static boolean isPostmaster(ProcessHandle process) {
        return command(process.pid()).equals("postgres")
                && !process.parent().map(parent -> command(parent.pid()).equals("postgres")).orElse(false);
    }

    /** The process's command name (/proc/PID/comm), readable whoever owns it; empty when it is gone. */
    private static String command(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<Long> findAny(String command) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith(command)).orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }

    @Override
    public void close() {
        postgres.dropSchema(schema);
        if (node != null) {
            node.close();
            deleteTree(work.resolve("es-data"));
        }
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
