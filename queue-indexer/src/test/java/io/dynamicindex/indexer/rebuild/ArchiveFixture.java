package io.dynamicindex.indexer.rebuild;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.archive.ArchiveWriter;
import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.PostgresEndpoint;

/**
 * A test's archive and index, read and written the way the live indexer does it: {@link #write} takes the shared
 * archive lock of the alias, writes Elasticsearch through the alias, upserts the archive rows with the next change
 * sequence and commits, in that order, as {@code ArchiveWriter} does for a batch.
 */
final class ArchiveFixture {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One change: an index of doc (with an external version, or none), or a delete when doc is null. */
    record Change(String id, Long version, Map<String, Object> doc) {
    }

    /** A document as a test compares it: its source, and its external version (null when unversioned). */
    record Stored(Map<String, Object> source, Long version) {
    }

    private final PostgresEndpoint postgres;
    private final String schema;
    private final ElasticsearchEndpoint elasticsearch;
    private final String alias;

    ArchiveFixture(PostgresEndpoint postgres, String schema, ElasticsearchEndpoint elasticsearch, String alias) {
        this.postgres = postgres;
        this.schema = schema;
        this.elasticsearch = elasticsearch;
        this.alias = alias;
    }

    /** Creates the indexer's tables in the schema, as the daemon's Flyway would. */
    static void migrate(PostgresEndpoint postgres, String schema) {
        Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.username(), postgres.password())
                .schemas(schema).defaultSchema(schema).table("dynamic_index_schema_history")
                .locations("classpath:db/migration").load().migrate();
    }

    Connection connect() throws SQLException {
        Connection connection = postgres.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO \"" + schema + "\"");
        }
        return connection;
    }

    /** One live batch: shared lock, Elasticsearch through the alias, archive upsert, commit. */
    void write(List<Change> changes) throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = '30s'");
                statement.execute("SELECT pg_advisory_xact_lock_shared("
                        + ArchiveWriter.lockKeys("'" + alias + "'") + ")");
            }
            bulkThroughAlias(changes);
            archive(connection, changes);
            connection.commit();
        }
    }

    /** Archive rows only, without Elasticsearch (what a rebuild copies from), under the shared lock. */
    void archiveOnly(List<Change> changes) throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock_shared("
                        + ArchiveWriter.lockKeys("'" + alias + "'") + ")");
            }
            archive(connection, changes);
            connection.commit();
        }
    }

    private void bulkThroughAlias(List<Change> changes) {
        StringBuilder body = new StringBuilder();
        for (Change change : changes) {
            Map<String, Object> metadata = new HashMap<>(Map.of("_index", alias, "_id", change.id()));
            if (change.version() != null) {
                metadata.put("version", change.version());
                metadata.put("version_type", "external");
            }
            body.append(JSON.writeValueAsString(Map.of(change.doc() == null ? "delete" : "index", metadata)))
                    .append('\n');
            if (change.doc() != null) {
                body.append(JSON.writeValueAsString(change.doc())).append('\n');
            }
        }
        HttpResponse<String> response = elasticsearch.call("POST", "/_bulk", body.toString());
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("live bulk answered " + response.statusCode() + ": " + response.body());
        }
        for (JsonNode item : answer.path("items")) {
            int status = item.properties().iterator().next().getValue().path("status").asInt();
            if (status >= 300 && status != 404) {
                throw new IllegalStateException("live bulk item failed: " + item);
            }
        }
    }

    private void archive(Connection connection, List<Change> changes) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO archive_document (index_name, "
                + "doc_id, routing, version, document, deleted, changed_at, source_queue, change_seq) VALUES "
                + "(?, ?, NULL, ?, ?::jsonb, ?, now(), 'test', nextval('archive_change_seq')) ON CONFLICT "
                + "(index_name, doc_id) DO UPDATE SET version = COALESCE(excluded.version, archive_document.version),"
                + " document = excluded.document, deleted = excluded.deleted, changed_at = excluded.changed_at, "
                + "change_seq = excluded.change_seq")) {
            for (Change change : changes) {
                statement.setString(1, alias);
                statement.setString(2, change.id());
                statement.setObject(3, change.version());
                statement.setString(4, change.doc() == null ? null : JSON.writeValueAsString(change.doc()));
                statement.setBoolean(5, change.doc() == null);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** The archive's documents of the alias that are not deleted, by id. */
    Map<String, Stored> archived() throws SQLException {
        Map<String, Stored> documents = new HashMap<>();
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT doc_id, document::text, version FROM archive_document WHERE index_name = ? AND NOT deleted")) {
            statement.setString(1, alias);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    documents.put(rows.getString(1), new Stored(map(JSON.readTree(rows.getString(2))),
                            rows.getObject(3, Long.class)));
                }
            }
        }
        return documents;
    }

    /**
     * Every document of the index (or alias) by id, read with a scroll; versions only where the archive has one,
     * since an unversioned document's version is Elasticsearch's own count.
     */
    Map<String, Stored> indexed(String index, Map<String, Stored> archived) {
        elasticsearch.call("POST", "/" + index + "/_refresh", null);
        Map<String, Stored> documents = new HashMap<>();
        JsonNode page = JSON.readTree(elasticsearch.call("POST", "/" + index + "/_search?scroll=1m",
                "{\"size\":1000,\"version\":true,\"sort\":[\"_doc\"]}").body());
        while (page.path("hits").path("hits").size() > 0) {
            for (JsonNode hit : page.path("hits").path("hits")) {
                String id = hit.path("_id").asString();
                Stored expected = archived.get(id);
                boolean versioned = expected != null && expected.version() != null;
                documents.put(id, new Stored(map(hit.path("_source")),
                        versioned ? hit.path("_version").asLong() : null));
            }
            page = JSON.readTree(elasticsearch.call("POST", "/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\""
                    + page.path("_scroll_id").asString() + "\"}").body());
        }
        elasticsearch.call("DELETE", "/_search/scroll", "{\"scroll_id\":\"" + page.path("_scroll_id").asString()
                + "\"}");
        return documents;
    }

    /** The alias's rebuild state row, as column to value. */
    Map<String, Object> rebuildRow() throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT phase, copied, caught_up, last_doc_id, mark_seq, resumes, run_base, target_index, error "
                        + "FROM archive_rebuild WHERE alias = ?")) {
            statement.setString(1, alias);
            try (ResultSet row = statement.executeQuery()) {
                Map<String, Object> columns = new HashMap<>();
                if (row.next()) {
                    for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                        columns.put(row.getMetaData().getColumnName(i), row.getObject(i));
                    }
                }
                return columns;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode source) {
        return JSON.convertValue(source, Map.class);
    }
}
