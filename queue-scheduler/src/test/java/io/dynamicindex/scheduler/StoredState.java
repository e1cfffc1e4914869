package io.dynamicindex.scheduler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.flywaydb.core.Flyway;

import io.dynamicindex.infra.PostgresEndpoint;

/** Writes the scheduler's stored runtime state directly, as a previous run would have left it. */
final class StoredState {

    private StoredState() {
    }

    /** Creates the scheduler's tables in the schema, with the same history table the scheduler uses. */
    static void migrate(PostgresEndpoint postgres, String schema) {
        Flyway.configure()
                .dataSource(postgres.jdbcUrl(), postgres.username(), postgres.password())
                .schemas(schema).defaultSchema(schema)
                .table("scheduler_schema_history")
                .locations("classpath:db/migration")
                .load().migrate();
    }

    static void pause(PostgresEndpoint postgres, String schema, String route) {
        String sql = "INSERT INTO \"" + schema + "\".scheduler_route_override (route, paused, updated_by) "
                + "VALUES (?, TRUE, 'test')";
        try (Connection connection = postgres.connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, route);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }
}
