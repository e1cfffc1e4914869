package io.dynamicindex.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.ElasticsearchService;
import io.dynamicindex.infra.HttpFaultProxy;
import io.dynamicindex.infra.Ports;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.RunTokens;
import io.dynamicindex.infra.TcpProxy;
import io.dynamicindex.infra.TestNames;

/**
 * The three daemons from their runnable jars, with one route, the scheduler's console pointed at the indexer, and the
 * indexer reaching Elasticsearch through a fault proxy (to cause retries on demand). Each daemon logs to a file of
 * this stack's own, so that a test can read every line the run wrote. The partner key is a secret of this run.
 */
final class ManagementStack implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final RabbitEndpoint rabbit = RabbitService.endpoint();
    final ElasticsearchEndpoint elasticsearch = ElasticsearchService.endpoint();
    final PostgresEndpoint postgres = PostgresService.endpoint();
    final String partnerKey = "partner-key-" + TestNames.unique("secret");
    final String source = TestNames.unique("mgmt_src");
    final String target = TestNames.unique("mgmt_idx");
    final String index = TestNames.unique("mgmt_products");
    final String route = "console-route";
    final String schema = TestNames.unique("mgmt");
    final HttpFaultProxy elasticsearchProxy = new HttpFaultProxy(elasticsearch.url());
    final Path logs = Path.of("target", "daemons", TestNames.unique("management"));
    private final List<DaemonProcess> daemons = new ArrayList<>();
    private final int serverManagementPort = Ports.free();
    DaemonProcess indexer;
    /** The scheduler's way to the indexer (console gateway and adaptive throttle), for faults between them. */
    TcpProxy indexerLink;
    DaemonProcess scheduler;
    DaemonProcess server;

    ManagementStack() {
        this(Map.of());
    }

    /** @param extra properties by module name, added to (or replacing) the stack's own */
    ManagementStack(Map<String, Map<String, String>> extra) {
        postgres.createSchema(schema);
        elasticsearch.call("PUT", "/" + index, "{\"mappings\":{\"properties\":{\"price\":{\"type\":\"long\"}}}}");
        Map<String, String> indexerProperties = indexerProperties();
        indexerProperties.putAll(extra.getOrDefault("queue-indexer", Map.of()));
        indexer = start("queue-indexer", indexerProperties, 0);
        URI indexerUrl = URI.create(indexer.url());
        indexerLink = new TcpProxy(indexerUrl.getHost(), indexerUrl.getPort());
        Map<String, String> schedulerProperties = schedulerProperties();
        schedulerProperties.putAll(extra.getOrDefault("queue-scheduler", Map.of()));
        scheduler = start("queue-scheduler", schedulerProperties, 0);
        Map<String, String> serverProperties = serverProperties();
        serverProperties.put("management.server.port", String.valueOf(serverManagementPort));
        server = start("queue-server", serverProperties, serverManagementPort);
    }

    String serverManagement() {
        return "http://127.0.0.1:" + serverManagementPort;
    }

    /** Posts NDJSON changes through the partner API; answers the HTTP status. */
    int post(String ndjson) {
        return send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/queues/" + source + "/messages"))
                .header("X-API-Key", partnerKey).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson))).statusCode();
    }

    /** One index change of the product, as the partner API takes it. */
    String change(String id, String price) {
        return "{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"" + id + "\",\"doc\":{\"name\":\"" + id
                + "\",\"price\":" + price + "}}\n";
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the daemons of this stack have logged so far. */
    String logText() {
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path file : files.toList()) {
                text.append(Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** Starts a daemon that is expected to fail; answers what it printed. */
    String failedStartOutput(String module, Map<String, String> properties) {
        Path log = logs.resolve(module + "-failed-" + TestNames.unique("start") + ".log");
        try {
            DaemonProcess daemon = DaemonProcess.start(Path.of(".."), module, properties, 0, log);
            daemon.stop();
            throw new AssertionError(module + " started although it should have refused its configuration");
        } catch (IllegalStateException expected) {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Map<String, String> serverProperties() {
        Map<String, String> properties = new LinkedHashMap<>(rabbit.springProperties());
        properties.put("dynamic-index.server.allow-plain-keys", "true");
        properties.put("dynamic-index.server.queues." + source + ".type", "classic");
        properties.put("dynamic-index.server.partners.shop.key", partnerKey);
        properties.put("dynamic-index.server.partners.shop.queues", source);
        return properties;
    }

    Map<String, String> schedulerProperties() {
        Map<String, String> properties = new LinkedHashMap<>(postgres.springProperties(schema));
        properties.putAll(rabbit.schedulerProperties());
        String prefix = "dynamic-index.scheduler.routes." + route + ".";
        properties.put(prefix + "source", source);
        properties.put(prefix + "target", target);
        properties.put(prefix + "cron", "*/1 * * * * *");
        properties.put(prefix + "messages-per-tick", "50");
        String link = "http://127.0.0.1:" + indexerLink.port();
        properties.put("dynamic-index.console.indexers[0]", link);
        properties.put("dynamic-index.scheduler.indexer.url", link);
        properties.put("dynamic-index.scheduler.indexer.token", RunTokens.viewer());
        return properties;
    }

    private Map<String, String> indexerProperties() {
        Map<String, String> properties = new LinkedHashMap<>(rabbit.springProperties());
        properties.putAll(postgres.springProperties(schema));
        properties.put("dynamic-index.indexer.elasticsearch.hosts", elasticsearchProxy.url());
        properties.put("dynamic-index.indexer.queues." + target + ".consumers", "1");
        return properties;
    }

    private DaemonProcess start(String module, Map<String, String> properties, int healthPort) {
        DaemonProcess daemon = DaemonProcess.start(Path.of(".."), module, properties, healthPort,
                logs.resolve(module + ".log"));
        daemons.add(daemon);
        return daemon;
    }

    @Override
    public void close() throws Exception {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).stop();
        }
        elasticsearchProxy.close();
        indexerLink.close();
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(source);
            channel.queueDelete(target);
        }
        elasticsearch.deleteIndex(index);
        postgres.dropSchema(schema);
    }
}
