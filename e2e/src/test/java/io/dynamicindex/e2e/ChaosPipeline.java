package io.dynamicindex.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.Ports;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.infra.RunTokens;

/**
 * The three daemons of the chaos and cluster tests as processes, with the properties to start each again after a
 * kill -9, and the sum of their counters over every life of each (read before each kill and at the end). The broker
 * is one node or a cluster: the daemons get its Spring and scheduler properties as they are. Queues take the
 * daemons' default type: classic on one node, quorum (with parking queues) on a cluster.
 */
final class ChaosPipeline implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KEY = "chaos-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Map<String, String> COUNTERS = Map.of(
            "moved", "dynamicindex.scheduler.moved",
            "applied", "dynamicindex.indexer.applied",
            "dead_lettered", "dynamicindex.indexer.dead_lettered",
            "retries", "dynamicindex.indexer.bulk.retries");

    private final Map<String, String> brokerSpring;
    private final Map<String, String> brokerScheduler;
    private final PostgresEndpoint postgres;
    private final String source = TestNames.unique("chaos_src");
    private final String target = TestNames.unique("chaos_idx");
    private final String schema = TestNames.unique("chaos");
    private final Map<String, DaemonProcess> daemons = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> properties = new LinkedHashMap<>();
    private final Map<String, Double> counted = new ConcurrentHashMap<>();
    private volatile int serverManagementPort;

    ChaosPipeline(RabbitEndpoint rabbit, PostgresEndpoint postgres, int postgresPort, String elasticsearchUrl) {
        this(rabbit.springProperties(), rabbit.schedulerProperties(), postgres, postgresPort, elasticsearchUrl);
    }

    /**
     * @param brokerSpring    Spring Boot properties for the server and the indexer ({@code spring.rabbitmq.*})
     * @param brokerScheduler the scheduler's broker properties ({@code dynamic-index.scheduler.source|target.*})
     */
    ChaosPipeline(Map<String, String> brokerSpring, Map<String, String> brokerScheduler, PostgresEndpoint postgres,
                  int postgresPort, String elasticsearchUrl) {
        this.brokerSpring = brokerSpring;
        this.brokerScheduler = brokerScheduler;
        this.postgres = postgres;
        postgres.createSchema(schema);
        Map<String, String> database = new LinkedHashMap<>(postgres.springProperties(schema));
        database.put("spring.datasource.url", database.get("spring.datasource.url")
                .replaceFirst(":\\d+/", ":" + postgresPort + "/"));
        properties.put("queue-indexer", indexer(database, elasticsearchUrl));
        properties.put("queue-scheduler", scheduler(database));
        properties.put("queue-server", server());
        properties.keySet().forEach(this::start);
    }

    String source() {
        return source;
    }

    String target() {
        return target;
    }

    /** The partner API's base URL now; it changes when the server restarts. */
    String serverUrl() {
        return daemons.get("queue-server").url();
    }

    void killAndRestart(String module) {
        readCounters(daemons.get(module));
        daemons.get(module).kill();
        start(module);
    }

    /** A counter of one daemon's current life, or 0 when it cannot be read now. */
    double current(String module, String name) {
        return metric(daemons.get(module), COUNTERS.get(name));
    }

    void collectCounters() {
        daemons.values().forEach(this::readCounters);
    }

    long counter(String name) {
        return Math.round(counted.getOrDefault(name, 0.0));
    }

    private void start(String module) {
        Map<String, String> settings = new LinkedHashMap<>(properties.get(module));
        int health = 0;
        if (module.equals("queue-server")) {
            serverManagementPort = Ports.free();
            settings.put("management.server.port", String.valueOf(serverManagementPort));
            health = serverManagementPort;
        }
        daemons.put(module, DaemonProcess.start(Path.of(".."), module, settings, health,
                Path.of("target", "daemons", "chaos-" + module + ".log")));
    }

    private void readCounters(DaemonProcess daemon) {
        COUNTERS.forEach((name, metric) -> {
            double value = metric(daemon, metric);
            counted.merge(name, value, Double::sum);
        });
    }

    private static double metric(DaemonProcess daemon, String metric) {
        try {
            HttpResponse<String> response = HTTP.send(RunTokens.asViewer(URI.create(daemon.url()
                    + "/actuator/metrics/" + metric)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return 0;
            }
            return JSON.readTree(response.body()).path("measurements").path(0).path("value").asDouble();
        } catch (Exception e) {
            return 0;
        }
    }

    private Map<String, String> server() {
        Map<String, String> settings = new LinkedHashMap<>(brokerSpring);
        settings.put("dynamic-index.server.allow-plain-keys", "true");
        settings.put("dynamic-index.server.queues." + source + ".lazy", "true");
        settings.put("dynamic-index.server.partners.chaos.key", KEY);
        settings.put("dynamic-index.server.partners.chaos.queues", source);
        settings.put("dynamic-index.server.confirm-timeout", "3s");
        return settings;
    }

    private Map<String, String> scheduler(Map<String, String> database) {
        Map<String, String> settings = new LinkedHashMap<>(database);
        settings.putAll(brokerScheduler);
        settings.put("dynamic-index.scheduler.routes.chaos.source", source);
        settings.put("dynamic-index.scheduler.routes.chaos.target", target);
        settings.put("dynamic-index.scheduler.routes.chaos.cron", "*/1 * * * * *");
        settings.put("dynamic-index.scheduler.routes.chaos.messages-per-tick", "2000");
        return settings;
    }

    private Map<String, String> indexer(Map<String, String> database, String elasticsearchUrl) {
        Map<String, String> settings = new LinkedHashMap<>(brokerSpring);
        settings.putAll(database);
        settings.put("dynamic-index.indexer.elasticsearch.hosts", elasticsearchUrl);
        settings.put("dynamic-index.indexer.queues." + target + ".consumers", "1");
        settings.put("dynamic-index.indexer.retry.max-backoff", "2s");
        return settings;
    }

    @Override
    public void close() {
        daemons.values().forEach(DaemonProcess::stop);
        postgres.dropSchema(schema);
    }
}
