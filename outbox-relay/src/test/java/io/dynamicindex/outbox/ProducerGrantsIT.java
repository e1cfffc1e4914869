package io.dynamicindex.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.dynamicindex.infra.TestNames;
import io.dynamicindex.outbox.support.RelayHarness;

/**
 * The grants the operations guide recommends for producers are enough to insert outbox rows, and keep a producer
 * from choosing an id or taking sequence values itself (the id default runs with its owner's rights, V2).
 */
class ProducerGrantsIT {

    @Test
    void aProducerWithTheRecommendedGrantsInsertsButCannotChooseIds() throws Exception {
        String role = TestNames.unique("producer");
        try (RelayHarness harness = new RelayHarness(); Connection admin = harness.database()) {
            harness.startInJvm().close();
            grantDocumented(admin, schema(admin), role);
            try {
                admin.setAutoCommit(false);
                try (Statement producer = admin.createStatement()) {
                    producer.execute("SET ROLE " + role);
                    producer.execute("INSERT INTO outbox (queue, partner, document_key, payload) VALUES ('q', 'p', "
                            + "'d', '{\"a\": 1}')");
                    assertSqlFails(admin, "INSERT INTO outbox (id, queue, payload) VALUES (1000, 'q', '{}')");
                    assertSqlFails(admin, "SELECT nextval('outbox_id_seq')");
                    producer.execute("RESET ROLE");
                    try (ResultSet rs = producer.executeQuery("SELECT count(*) FROM outbox")) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("the producer's row").isEqualTo(1);
                    }
                }
                admin.rollback();
                admin.setAutoCommit(true);
            } finally {
                dropRole(admin, role);
            }
        }
    }

    /**
     * A producer with only the documented grants creates a temporary {@code outbox_id_seq}; the id default must still
     * take its value from the outbox's own sequence (V3 pins pg_temp last and qualifies every name).
     */
    @Test
    void aTemporarySequenceOfTheProducerDoesNotShadowTheOutboxSequence() throws Exception {
        String role = TestNames.unique("producer");
        try (RelayHarness harness = new RelayHarness(); Connection admin = harness.database()) {
            harness.startInJvm().close();
            grantDocumented(admin, schema(admin), role);
            try {
                admin.setAutoCommit(false);
                try (Statement producer = admin.createStatement()) {
                    producer.execute("SET ROLE " + role);
                    producer.execute("CREATE TEMP SEQUENCE outbox_id_seq START 1000000000");
                    producer.execute("INSERT INTO outbox (queue, partner, document_key, payload) VALUES ('q', 'p', "
                            + "'d', '{\"a\": 1}')");
                    producer.execute("RESET ROLE");
                    try (ResultSet rs = producer.executeQuery("SELECT max(id) FROM outbox")) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("the id of the producer's row").isLessThan(1_000_000);
                    }
                }
                admin.rollback();
                admin.setAutoCommit(true);
            } finally {
                dropRole(admin, role);
            }
        }
    }

    private static void grantDocumented(Connection admin, String schema, String role) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE " + role);
            statement.execute("GRANT USAGE ON SCHEMA \"" + schema + "\" TO " + role);
            statement.execute("GRANT INSERT (queue, partner, document_key, payload) ON outbox TO " + role);
            statement.execute("GRANT EXECUTE ON FUNCTION outbox_next_id() TO " + role);
        }
    }

    private static void dropRole(Connection admin, String role) throws SQLException {
        if (!admin.getAutoCommit()) {
            admin.rollback();
            admin.setAutoCommit(true);
        }
        try (Statement statement = admin.createStatement()) {
            statement.execute("DROP OWNED BY " + role);
            statement.execute("DROP ROLE " + role);
        }
    }

    private static void assertSqlFails(Connection connection, String sql) throws SQLException {
        try (Statement savepoint = connection.createStatement()) {
            savepoint.execute("SAVEPOINT s");
        }
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as(sql).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        try (Statement rollback = connection.createStatement()) {
            rollback.execute("ROLLBACK TO SAVEPOINT s");
        }
    }

    private static String schema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
