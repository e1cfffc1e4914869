package io.dynamicindex.outbox.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.infra.RunTokens;
import io.dynamicindex.outbox.relay.OutboxRelay;
import io.dynamicindex.outbox.relay.RelayStatus;

/**
 * What a relay in this JVM shows: its status as the loop holds it, as the status API serves it (viewer token), its
 * failure counter, and the offset it stored in PostgreSQL.
 */
public record RelayView(ConfigurableApplicationContext context, RelayHarness harness) {

    public RelayStatus status() {
        return context.getBean(OutboxRelay.class).status();
    }

    /** The body of {@code GET /api/v1/status}, asked with a viewer token; fails unless it answers 200. */
    public String statusApi() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                + "/api/v1/status");
        HttpResponse<String> response = HttpClient.newHttpClient().send(RunTokens.asViewer(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("status API answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** {@code dynamicindex.outbox.failures}: batches that failed so far. */
    public double failures() {
        return context.getBean(MeterRegistry.class).counter("dynamicindex.outbox.failures").count();
    }

    /** The stored offset's {@code last_id}, read directly (not through any proxy in front of the relay). */
    public long storedLastId() throws SQLException {
        try (Connection connection = harness.database(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT last_id FROM outbox_relay_offset")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
