package io.dynamicindex.management.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Audit events in the PostgreSQL table {@code management_audit} (created on first use when missing, so that any
 * daemon with a database keeps its trail without a migration of its own, and a database down at startup stops
 * nothing). Each statement waits at most five seconds.
 */
public final class JdbcAuditEventRepository implements AuditEventRepository {

    private static final String CREATE = """
            CREATE TABLE IF NOT EXISTS management_audit (
                id bigserial PRIMARY KEY,
                at timestamptz NOT NULL,
                daemon text NOT NULL,
                actor text NOT NULL,
                type text NOT NULL,
                data text NOT NULL)""";
    private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final String daemon;
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile boolean tableReady;

    public JdbcAuditEventRepository(DataSource dataSource, String daemon) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout(5);
        this.daemon = daemon;
    }

    @Override
    public void add(AuditEvent event) {
        createTableOnce();
        jdbc.update("INSERT INTO management_audit (at, daemon, actor, type, data) VALUES (?, ?, ?, ?, ?)",
                Timestamp.from(event.getTimestamp()), daemon, event.getPrincipal(), event.getType(),
                json.writeValueAsString(event.getData()));
    }

    @Override
    public List<AuditEvent> find(String principal, Instant after, String type) {
        createTableOnce();
        StringBuilder sql = new StringBuilder("SELECT at, actor, type, data FROM management_audit WHERE daemon = ?");
        List<Object> arguments = new ArrayList<>(List.of(daemon));
        if (principal != null) {
            sql.append(" AND actor = ?");
            arguments.add(principal);
        }
        if (after != null) {
            sql.append(" AND at > ?");
            arguments.add(Timestamp.from(after));
        }
        if (type != null) {
            sql.append(" AND type = ?");
            arguments.add(type);
        }
        sql.append(" ORDER BY id DESC LIMIT 1000");
        return jdbc.query(sql.toString(), this::event, arguments.toArray());
    }

    private void createTableOnce() {
        if (!tableReady) {
            jdbc.execute(CREATE);
            tableReady = true;
        }
    }

    private AuditEvent event(ResultSet row, int number) throws SQLException {
        return new AuditEvent(row.getTimestamp("at").toInstant(), row.getString("actor"), row.getString("type"),
                json.readValue(row.getString("data"), DATA));
    }
}
