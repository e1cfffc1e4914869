package io.dynamicindex.indexer.rebuild;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * The right to run the rebuild of one alias: PostgreSQL's session lock {@code pg_try_advisory_lock(hashtext(
 * 'dynamic-index.rebuild'), hashtext(alias))} on a connection of its own, held for the whole run. It ends with the
 * connection, so a process killed mid-rebuild frees it at once and the rebuild can be resumed by anyone.
 */
final class RebuildLease implements AutoCloseable {

    private static final String KEY = "hashtext('dynamic-index.rebuild'), hashtext(?)";

    private final String alias;
    private final Connection connection;

    private RebuildLease(String alias, Connection connection) {
        this.alias = alias;
        this.connection = connection;
    }

    /** Takes the lease, or refuses with 409 when another run (in any process) holds it. */
    static RebuildLease take(DataSource connections, String alias) {
        Connection connection = null;
        try {
            connection = connections.getConnection();
            if (tryLock(connection, alias)) {
                return new RebuildLease(alias, connection);
            }
            connection.close();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new RebuildFailure("cannot take the rebuild lock of " + alias + ": " + e.getMessage(), e);
        }
        throw new RebuildRefusal(RebuildRefusal.Kind.CONFLICT, "a rebuild of " + alias
                + " is running (in this or another process); watch it with GET /api/v1/rebuilds/" + alias);
    }

    private static boolean tryLock(Connection connection, String alias) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(" + KEY + ")")) {
            statement.setString(1, alias);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    String alias() {
        return alias;
    }

    /** Fails the run when the lease's connection is gone (PostgreSQL restarted): another run could begin. */
    void check() {
        try {
            if (connection.isValid(5)) {
                return;
            }
        } catch (SQLException e) {
            // reported below
        }
        throw new RebuildFailure("lost the rebuild lock of " + alias + " (its PostgreSQL connection closed)");
    }

    /** Releases the lease by closing its connection. */
    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // the session ends either way, and the lock with it
        }
    }
}
