package io.dynamicindex.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.infra.RunTokens;

/**
 * The management plane of all three daemons, started from their jars: every endpoint answers 401 without a token,
 * 403 to a viewer's write and works for an operator; liveness, readiness and the console's files stay open; a
 * cross-site form cannot reach a write; an unfiltered purge is refused; changes are audited with the token's name;
 * the Grafana dashboard's metric names are all exposed; and no secret of the run appears in a log, a startup error
 * or an actuator answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementPlaneIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ManagementStack stack;
    private final List<String> answers = new ArrayList<>();

    /** One management endpoint. */
    record Endpoint(String base, String method, String path, String body) {

        boolean isWrite() {
            return !method.equals("GET");
        }

        URI uri() {
            return URI.create(base + path);
        }

        @Override
        public String toString() {
            return method + " " + base + path;
        }
    }

    @BeforeAll
    void startStack() {
        stack = new ManagementStack();
    }

    @AfterAll
    void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private List<Endpoint> endpoints() {
        String server = stack.serverManagement();
        String scheduler = stack.scheduler.url();
        String indexer = stack.indexer.url();
        String route = "/api/v1/routes/" + stack.route;
        List<Endpoint> endpoints = new ArrayList<>();
        for (String base : List.of(server, scheduler, indexer)) {
            for (String path : List.of("/actuator/health", "/actuator/info", "/actuator/metrics",
                    "/actuator/prometheus", "/actuator/auditevents")) {
                endpoints.add(new Endpoint(base, "GET", path, ""));
            }
        }
        endpoints.add(new Endpoint(server, "GET", "/actuator/parked", ""));
        endpoints.add(new Endpoint(server, "POST", "/actuator/parked/" + stack.source, "{}"));
        endpoints.add(new Endpoint(scheduler, "GET", "/api/v1/routes", ""));
        endpoints.add(new Endpoint(scheduler, "GET", route, ""));
        endpoints.add(new Endpoint(scheduler, "GET", "/api/v1/queues", ""));
        endpoints.add(new Endpoint(scheduler, "GET", "/api/v1/indexers", ""));
        endpoints.add(new Endpoint(scheduler, "GET", "/api/v1/indexers/0/api/v1/status", ""));
        endpoints.add(new Endpoint(scheduler, "POST", route + "/pause", ""));
        endpoints.add(new Endpoint(scheduler, "POST", route + "/resume", ""));
        endpoints.add(new Endpoint(scheduler, "PATCH", route, "{\"messagesPerTick\":60}"));
        endpoints.add(new Endpoint(scheduler, "DELETE", route + "/overrides", ""));
        endpoints.add(new Endpoint(scheduler, "POST", "/api/v1/indexers/0/api/v1/dead-letters/replay?queue=none",
                ""));
        endpoints.add(new Endpoint(indexer, "GET", "/api/v1/status", ""));
        endpoints.add(new Endpoint(indexer, "GET", "/api/v1/dead-letters", ""));
        endpoints.add(new Endpoint(indexer, "POST", "/api/v1/dead-letters/replay?queue=none", ""));
        endpoints.add(new Endpoint(indexer, "POST", "/api/v1/dead-letters/999999999/replay", ""));
        endpoints.add(new Endpoint(indexer, "DELETE", "/api/v1/dead-letters/999999999", ""));
        endpoints.add(new Endpoint(indexer, "DELETE", "/api/v1/dead-letters?queue=none&dryRun=true", ""));
        return endpoints;
    }

    @Test
    @Order(1)
    void everyEndpointAnswers401WithoutAToken() {
        for (Endpoint endpoint : endpoints()) {
            HttpResponse<String> answer = call(endpoint, HttpRequest.newBuilder(endpoint.uri()));
            assertThat(answer.statusCode()).as(endpoint.toString()).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as(endpoint.toString()).isPresent();
        }
    }

    @Test
    @Order(2)
    void aViewerReadsEverythingAndChangesNothing() {
        for (Endpoint endpoint : endpoints()) {
            HttpResponse<String> answer = call(endpoint, RunTokens.asViewer(endpoint.uri()));
            if (endpoint.isWrite()) {
                assertThat(answer.statusCode()).as(endpoint.toString()).isEqualTo(403);
            } else {
                assertThat(answer.statusCode()).as(endpoint + ": " + answer.body()).isEqualTo(200);
            }
        }
    }

    @Test
    @Order(3)
    void anOperatorChangesThroughEveryWriteEndpoint() {
        for (Endpoint endpoint : endpoints()) {
            HttpResponse<String> answer = call(endpoint, RunTokens.asOperator(endpoint.uri()));
            assertThat(answer.statusCode()).as(endpoint + ": " + answer.body()).isNotIn(401, 403, 415)
                    .isLessThan(500);
        }
        for (String suffix : List.of("/pause", "/resume", "/overrides")) {
            assertThat(call(write(stack.scheduler.url(), "/api/v1/routes/" + stack.route + suffix,
                    suffix.equals("/overrides") ? "DELETE" : "POST"), RunTokens.asOperator(URI.create(
                    stack.scheduler.url() + "/api/v1/routes/" + stack.route + suffix))).statusCode())
                    .as(suffix).isEqualTo(200);
        }
    }

    @Test
    @Order(4)
    void probesAndTheConsolePageNeedNoToken() {
        for (String base : List.of(stack.serverManagement(), stack.scheduler.url(), stack.indexer.url())) {
            for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
                assertThat(get(base + probe).statusCode()).as(base + probe).isEqualTo(200);
            }
        }
        HttpResponse<String> page = get(stack.scheduler.url() + "/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Dynamic Index console");
    }

    @Test
    @Order(5)
    void aCrossSiteFormCannotPauseARoute() {
        URI pause = URI.create(stack.scheduler.url() + "/api/v1/routes/" + stack.route + "/pause");
        assertThat(ManagementStack.send(RunTokens.operatorWrite(URI.create(stack.scheduler.url() + "/api/v1/routes/"
                + stack.route + "/resume"), "POST", "")).statusCode()).isEqualTo(200);
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data")) {
            assertThat(ManagementStack.send(HttpRequest.newBuilder(pause).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("a=b"))).statusCode()).as(type).isEqualTo(401);
            assertThat(ManagementStack.send(RunTokens.asOperator(pause).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("a=b"))).statusCode()).as(type).isEqualTo(415);
            assertThat(ManagementStack.send(RunTokens.asOperator(pause)
                    .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).as("no type").isEqualTo(415);
        }
        JsonNode route = JSON.readTree(ManagementStack.send(RunTokens.asViewer(URI.create(stack.scheduler.url()
                + "/api/v1/routes/" + stack.route))).body());
        assertThat(route.path("paused").asBoolean()).isFalse();
    }

    @Test
    @Order(6)
    void anUnfilteredPurgeIsRefusedAndPurgesNothing() {
        createDeadLetter();
        URI all = URI.create(stack.indexer.url() + "/api/v1/dead-letters");
        HttpResponse<String> refused = ManagementStack.send(RunTokens.asOperator(all).DELETE());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        HttpResponse<String> unconfirmed = ManagementStack.send(RunTokens.asOperator(URI.create(all + "?queue="
                + stack.target)).DELETE());
        assertThat(unconfirmed.statusCode()).as(unconfirmed.body()).isEqualTo(400);
        assertThat(JSON.readTree(unconfirmed.body()).path("matching").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(get(all + "?queue=" + stack.target, true).body())).hasSize(1);
    }

    @Test
    @Order(7)
    void aChangeIsAuditedWithTheTokensNameInPostgres() throws Exception {
        URI route = URI.create(stack.scheduler.url() + "/api/v1/routes/" + stack.route);
        assertThat(ManagementStack.send(RunTokens.operatorWrite(route, "PATCH", "{\"messagesPerTick\":70}"))
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(auditedPatches()).isPositive());
        JsonNode events = JSON.readTree(get(stack.scheduler.url() + "/actuator/auditevents?type=MANAGEMENT_CHANGE",
                true).body()).path("events");
        assertThat(events.valueStream().filter(event -> event.path("principal").asString()
                .equals(RunTokens.OPERATOR_NAME) && event.path("data").path("method").asString().equals("PATCH")
                && event.path("data").path("body").asString().contains("70"))).isNotEmpty();
    }

    private long auditedPatches() throws Exception {
        try (Connection connection = stack.postgres.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM " + stack.schema + ".management_audit "
                     + "WHERE actor = '" + RunTokens.OPERATOR_NAME + "' AND daemon = 'queue-scheduler' AND data "
                     + "LIKE '%PATCH%'")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    @Order(8)
    void everyMetricOfTheGrafanaDashboardIsExposed() {
        causeRetries();
        Set<String> exposed = new HashSet<>();
        for (String base : List.of(stack.serverManagement(), stack.scheduler.url(), stack.indexer.url())) {
            exposed.addAll(GrafanaDashboard.exposedNames(get(base + "/actuator/prometheus", true).body()));
        }
        Set<String> used = GrafanaDashboard.load(Path.of("..", "ops", "grafana", "dynamic-index.json"))
                .metricNames();
        assertThat(used).isNotEmpty();
        assertThat(exposed).containsAll(used);
    }

    @Test
    @Order(9)
    void noSecretAppearsInLogsStartupErrorsOrActuatorAnswers() {
        Map<String, String> wrongPlace = Map.of("dynamic-index.server.partners.shop.key-sha256",
                "pasted-plain-key-" + stack.partnerKey, "dynamic-index.server.partners.shop.queues", stack.source);
        Map<String, String> server = new java.util.LinkedHashMap<>(stack.serverProperties());
        server.remove("dynamic-index.server.partners.shop.key");
        server.putAll(wrongPlace);
        String serverRefusal = stack.failedStartOutput("queue-server", server);
        Map<String, String> scheduler = new java.util.LinkedHashMap<>(stack.schedulerProperties());
        scheduler.put("dynamic-index.scheduler.source.passwrd", "misspelled-" + RunTokens.operator());
        scheduler.put("dynamic-index.management.tokens.pasted.token-sha256", RunTokens.viewer());
        String schedulerRefusal = stack.failedStartOutput("queue-scheduler", scheduler);
        assertThat(serverRefusal).contains("key-sha256").contains("not a SHA-256 digest");
        assertThat(schedulerRefusal).contains("APPLICATION FAILED TO START");
        for (Endpoint endpoint : endpoints()) {
            if (!endpoint.isWrite()) {
                answers.add(get(endpoint.uri().toString(), true).body());
            }
        }
        String everything = stack.logText() + String.join("\n", answers);
        for (String secret : List.of(stack.partnerKey, RunTokens.operator(), RunTokens.viewer())) {
            assertThat(everything).as("a configured secret").doesNotContain(secret);
        }
    }

    private void createDeadLetter() {
        assertThat(stack.post(stack.change("good-1", "100") + stack.change("bad-1", "\"not a number\""))).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(get(stack.indexer.url()
                + "/api/v1/dead-letters?queue=" + stack.target, true).body()).size() == 1);
    }

    private void causeRetries() {
        stack.elasticsearchProxy.failBulks(429, "application/json",
                "{\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"busy\"},\"status\":429}");
        assertThat(stack.post(stack.change("retried-1", "5"))).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> stack.elasticsearchProxy.faultsAnswered() > 0);
        stack.elasticsearchProxy.forward();
        await().atMost(Duration.ofSeconds(60)).until(() -> stack.elasticsearch.source(stack.index, "retried-1")
                != null);
    }

    private static Endpoint write(String base, String path, String method) {
        return new Endpoint(base, method, path, "");
    }

    private static HttpResponse<String> call(Endpoint endpoint, HttpRequest.Builder request) {
        if (endpoint.isWrite()) {
            request.header("Content-Type", "application/json").method(endpoint.method(), endpoint.body().isEmpty()
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(endpoint.body()));
        }
        return ManagementStack.send(request);
    }

    private static HttpResponse<String> get(String url) {
        return ManagementStack.send(HttpRequest.newBuilder(URI.create(url)));
    }

    private static HttpResponse<String> get(String url, boolean asViewer) {
        return ManagementStack.send(asViewer ? RunTokens.asViewer(URI.create(url))
                : HttpRequest.newBuilder(URI.create(url)));
    }
}
