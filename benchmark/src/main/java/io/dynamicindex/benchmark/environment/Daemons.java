package io.dynamicindex.benchmark.environment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.Ports;

/**
 * Starts the daemons under test from their runnable jars, each in its own JVM as in production, pointed at the run's
 * services. Every setting not given here keeps the daemon's default. The jars are copied once, when the run starts,
 * so that every stage measures the same build even while someone rebuilds the modules. Logs go to the run's work
 * directory.
 */
public final class Daemons {

    /** The partner key of the benchmark's one partner (plain keys are allowed for it). */
    public static final String API_KEY = "benchmark-key";

    /** One scheduler route. */
    public record Route(String name, String source, String target, String cron, int messagesPerTick) {
    }

    private static final List<String> MODULES = List.of("queue-server", "queue-scheduler", "queue-indexer",
            "outbox-relay");

    private final BenchEnvironment environment;
    private final Map<String, Map<String, String>> settings;
    private final Path jars;

    /** settings: properties by module name that override the daemons' defaults in every stage. */
    public Daemons(BenchEnvironment environment, Map<String, Map<String, String>> settings) throws IOException {
        this.environment = environment;
        this.settings = settings;
        this.jars = environment.work().resolve("daemons");
        for (String module : MODULES) {
            Path target = Files.createDirectories(jars.resolve(module).resolve("target"));
            Path jar = DaemonProcess.runnableJar(environment.root(), module);
            Files.copy(jar, target.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A queue-server whose one partner may write the given source queues (classic, durable). */
    public Daemon server(List<String> sourceQueues) {
        Map<String, String> properties = new LinkedHashMap<>(environment.rabbit().springProperties());
        properties.put("dynamic-index.server.allow-plain-keys", "true");
        sourceQueues.forEach(q -> properties.put("dynamic-index.server.queues." + q + ".type", "classic"));
        properties.put("dynamic-index.server.partners.benchmark.key", API_KEY);
        properties.put("dynamic-index.server.partners.benchmark.queues", String.join(",", sourceQueues));
        int management = Ports.free();
        properties.put("management.server.port", String.valueOf(management));
        return start("queue-server", properties, management);
    }

    /**
     * A queue-scheduler with the given routes on the run's broker (source and target alike), with the run's
     * PostgreSQL schema for its durable state.
     */
    public Daemon scheduler(List<Route> routes) {
        Map<String, String> properties = new LinkedHashMap<>(
                environment.postgres().springProperties(environment.schema()));
        properties.putAll(environment.rabbit().schedulerProperties());
        for (Route route : routes) {
            String prefix = "dynamic-index.scheduler.routes." + route.name() + ".";
            properties.put(prefix + "source", route.source());
            properties.put(prefix + "target", route.target());
            properties.put(prefix + "cron", route.cron());
            properties.put(prefix + "messages-per-tick", String.valueOf(route.messagesPerTick()));
        }
        // a stage may ask for more per tick than the scheduler's default limit, to measure an unthrottled move
        properties.put("dynamic-index.scheduler.max-messages-per-tick",
                String.valueOf(routes.stream().mapToInt(Route::messagesPerTick).max().orElse(1)));
        return start("queue-scheduler", properties, 0);
    }

    /** A queue-indexer consuming the given index queues, one consumer each. */
    public Daemon indexer(List<String> indexQueues) {
        return indexer(indexQueues, Map.of());
    }

    /** The same, with further properties of its own (the run's --set settings still win). */
    public Daemon indexer(List<String> indexQueues, Map<String, String> extra) {
        Map<String, String> properties = new LinkedHashMap<>(environment.rabbit().springProperties());
        properties.putAll(environment.postgres().springProperties(environment.schema()));
        properties.put("dynamic-index.indexer.elasticsearch.hosts", environment.elasticsearch().url());
        indexQueues.forEach(q -> properties.put("dynamic-index.indexer.queues." + q + ".consumers", "1"));
        properties.putAll(extra);
        return start("queue-indexer", properties, 0);
    }

    /** An outbox relay on the run's PostgreSQL schema, publishing to the given source queue (classic, lazy). */
    public Daemon outboxRelay(String sourceQueue) {
        Map<String, String> properties = new LinkedHashMap<>(environment.rabbit().springProperties());
        properties.putAll(environment.postgres().springProperties(environment.schema()));
        properties.put("dynamic-index.outbox.queues." + sourceQueue + ".lazy", "true");
        return start("outbox-relay", properties, 0);
    }

    /** The queue-indexer's runnable jar as copied for this run (the rebuild's command line runs from it). */
    public Path indexerJar() {
        return DaemonProcess.runnableJar(jars, "queue-indexer");
    }

    private Daemon start(String module, Map<String, String> properties, int healthPort) {
        properties.putAll(settings.getOrDefault(module, Map.of()));
        DaemonProcess process = DaemonProcess.start(jars, module, properties, healthPort,
                environment.work().resolve(module + ".log"));
        return new Daemon(module, process);
    }
}
