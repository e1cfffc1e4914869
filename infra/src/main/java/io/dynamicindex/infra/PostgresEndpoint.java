package io.dynamicindex.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Where a PostgreSQL database answers, and how it was found.
 *
 * @param origin human-readable: "environment DI_POSTGRES_URL", "local service", "Testcontainers" or "embedded"
 */
public record PostgresEndpoint(String jdbcUrl, String username, String password, String origin) {

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    boolean answers() {
        try (Connection ignored = connect()) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Creates an empty schema, so that a test owns its tables; drop it with {@link #dropSchema}. */
    public void createSchema(String schema) {
        execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
    }

    public void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    private void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + jdbcUrl, e);
        }
    }

    /** Spring Boot properties that point a daemon at this database, with tables in the given schema. */
    public Map<String, String> springProperties(String schema) {
        String separator = jdbcUrl.contains("?") ? "&" : "?";
        return Map.of(
                "spring.datasource.url", jdbcUrl + separator + "currentSchema=" + schema,
                "spring.datasource.username", username,
                "spring.datasource.password", password,
                "spring.flyway.schemas", schema,
                "spring.flyway.default-schema", schema);
    }
}
