package io.dynamicindex.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.RunTokens;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.scheduler.support.Schedulers;

/**
 * The management plane's audit trail of refusals against the real PostgreSQL: a viewer's refused write is recorded,
 * and a flood of bad tokens is answered without waiting on the database (the audit table is held locked meanwhile),
 * every refusal either stored once the table frees or counted as dropped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementAuditIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final PostgresEndpoint postgres = PostgresService.endpoint();
    private final String schema = TestNames.unique("audit");
    private ConfigurableApplicationContext scheduler;
    private String url;

    @BeforeAll
    void startScheduler() {
        postgres.createSchema(schema);
        Map<String, String> infrastructure = Schedulers.infrastructure(RabbitService.endpoint(), postgres, schema);
        scheduler = Schedulers.startInJvm(infrastructure, Map.of("dynamic-index.management.audit.queue-capacity",
                "50"));
        url = "http://127.0.0.1:" + scheduler.getEnvironment().getProperty("local.server.port");
        awaitAuditTable();
    }

    /** The audit table is created on the first event stored: one refusal makes it, whichever test runs first. */
    private void awaitAuditTable() {
        flood(1);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(count("type = 'AUTHENTICATION_FAILURE'")).isEqualTo(1));
    }

    @AfterAll
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        postgres.dropSchema(schema);
    }

    @Test
    void aViewersRefusedWriteIsAudited() throws Exception {
        HttpResponse<String> answer = HTTP.send(RunTokens.asViewer(URI.create(url + "/api/v1/routes/none/pause"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(403);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(count("type = 'MANAGEMENT_CHANGE' "
                + "AND actor = '" + RunTokens.VIEWER_NAME + "' AND data LIKE '%/api/v1/routes/none/pause%' "
                + "AND data LIKE '%\"status\":403%'")).isEqualTo(1));
    }

    @Test
    void aFloodOfBadTokensIsAnsweredWhileTheAuditTableIsLockedAndEveryRefusalIsStoredOrCounted() throws Exception {
        int requests = 200;
        long before = count("type = 'AUTHENTICATION_FAILURE'");
        List<HttpResponse<String>> answers;
        try (Connection lock = postgres.connect()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE " + schema + ".management_audit IN ACCESS EXCLUSIVE MODE");
            }
            long started = System.nanoTime();
            answers = flood(requests);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).as("answers to %d bad tokens while the audit table is locked", requests)
                    .isLessThan(Duration.ofSeconds(10));
            lock.rollback();
        }
        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(401));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                count("type = 'AUTHENTICATION_FAILURE'") - before + dropped()).isEqualTo(requests));
        assertThat(dropped("store_failed")).as("refusals the store refused").isZero();
        assertThat(dropped("queue_full")).as("refusals dropped by a queue of 50").isPositive();
    }

    private List<HttpResponse<String>> flood(int requests) {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            pending.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url + "/api/v1/routes"))
                    .header("Authorization", "Bearer wrong-" + i).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return pending.stream().map(CompletableFuture::join).toList();
    }

    private double dropped() throws Exception {
        return dropped(null);
    }

    /** Audit events not stored, for one reason or (null) for every reason. */
    private double dropped(String reason) throws Exception {
        HttpResponse<String> answer = HTTP.send(RunTokens.asOperator(
                URI.create(url + "/actuator/metrics/dynamicindex.management.audit.dropped"
                        + (reason == null ? "" : "?tag=reason:" + reason))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String body = answer.body();
        int value = body.indexOf("\"value\":");
        return Double.parseDouble(body.substring(value + 8, body.indexOf('}', value)).trim());
    }

    private long count(String where) throws SQLException {
        try (Connection connection = postgres.connect();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM " + schema + ".management_audit WHERE "
                     + where)) {
            row.next();
            return row.getLong(1);
        }
    }
}
