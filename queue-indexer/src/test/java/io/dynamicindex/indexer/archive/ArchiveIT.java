package io.dynamicindex.indexer.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.indexer.bulk.PhasedApplier.MessageOutcome;
import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.TestNames;

/** The archive's change log and its retention, and a change the archive cannot store. */
class ArchiveIT {

    /**
     * A change whose document holds a NUL character (Elasticsearch takes it, PostgreSQL's jsonb does not) is
     * dead-lettered before it reaches either store, and the changes around it are applied to both.
     */
    @Test
    void deadLettersAChangeTheArchiveCannotStore() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String index = harness.index("nul");
            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".archive.enabled", "true");
            harness.start(properties);
            harness.publish(List.of(change(index, "index", "A", 1),
                    "{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"B\",\"doc\":{\"name\":\"a\\u0000b\"}}",
                    change(index, "index", "C", 3)));
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.settled() >= 3);

            assertThat(harness.deadLetterTypes()).containsExactly("archive_unstorable");
            assertThat(harness.documents(index)).containsOnlyKeys(index + "/A", index + "/C");
            assertThat(harness.archivedDocuments(index)).isEqualTo(harness.documents(index));
        }
    }

    /**
     * The change log keeps one row per applied operation, in order, and an indexer deletes the rows older than the
     * retention: the first batch after a start cleans up what an earlier run logged, never what it logs itself.
     */
    @Test
    void logsEveryAppliedOperationAndDeletesRowsPastTheRetention() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String index = harness.index("logged");
            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".archive.enabled", "true");
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".archive.change-log", "true");
            harness.start(properties);
            harness.publish(List.of(change(index, "index", "A", 1), change(index, "update", "A", 2),
                    "{\"action\":\"delete\",\"index\":\"" + index + "\",\"id\":\"A\"}"));
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.settled() >= 3);
            assertThat(logged(harness)).containsExactly("index A", "update A", "delete A");
            harness.stopIndexer();

            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(2)).until(() -> true);
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".archive.change-log-retention", "1s");
            harness.start(properties);
            harness.publish(List.of(change(index, "index", "B", 3)));
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.settled() >= 1);
            assertThat(logged(harness)).containsExactly("index B");
        }
    }

    /**
     * One batch that touches more distinct index names than PostgreSQL's lock table holds (max_locks_per_transaction
     * times the connection slots, 6,400 by default, shared by every session; ~10,000 names exhaust it on a busy
     * server, three times its size on an idle one) takes a bounded number of archive locks, so it is archived rather
     * than halting the queue on "out of shared memory" for good.
     */
    @Test
    void archivesABatchThatTouchesMoreIndicesThanTheLockTableHolds() throws Exception {
        PostgresEndpoint postgres = PostgresService.endpoint();
        String schema = TestNames.unique("archive_s");
        postgres.createSchema(schema);
        try {
            Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.username(), postgres.password())
                    .schemas(schema).defaultSchema(schema).table("dynamic_index_schema_history")
                    .locations("classpath:db/migration").load().migrate();
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(postgres.jdbcUrl());
            dataSource.setUser(postgres.username());
            dataSource.setPassword(postgres.password());
            dataSource.setCurrentSchema(schema);
            ArchiveWriter writer = new ArchiveWriter("many_q", dataSource, IndexerHarness.JSON,
                    new ArchiveWriter.Settings(false, Duration.ofDays(1), Duration.ofSeconds(5),
                            Duration.ofSeconds(30)), Clock.systemUTC());
            int indices = 3 * lockTableSize(postgres);
            List<IndexOperation> deletes = new ArrayList<>();
            for (int i = 0; i < indices; i++) {
                deletes.add(IndexOperation.delete(Phase.TRIGGER_DELETE, new DocumentKey("unmatched-" + i, "P-1"),
                        null, null));
            }

            List<MessageOutcome> outcomes = writer.applyAndArchive(List.of(deletes),
                    batch -> List.of(new MessageOutcome(List.of(), List.of())));

            assertThat(outcomes).hasSize(1);
            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                 ResultSet count = statement.executeQuery("SELECT count(DISTINCT index_name) FROM \"" + schema
                         + "\".archive_document WHERE deleted")) {
                count.next();
                assertThat(count.getLong(1)).isEqualTo(indices);
            }
        } finally {
            postgres.dropSchema(schema);
        }
    }

    /** How many locks PostgreSQL's shared lock table is sized for. */
    private static int lockTableSize(PostgresEndpoint postgres) throws Exception {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet size = statement.executeQuery("SELECT current_setting('max_locks_per_transaction')::int * "
                     + "(current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int)")) {
            size.next();
            return size.getInt(1);
        }
    }

    private static String change(String index, String action, String id, int seq) {
        return "{\"action\":\"" + action + "\",\"index\":\"" + index + "\",\"id\":\"" + id + "\",\"doc\":{\"seq\":"
                + seq + "}}";
    }

    /** "operation id" of every change-log row, in log order. */
    private static List<String> logged(IndexerHarness harness) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = harness.postgres.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT operation, doc_id FROM \"" + harness.schema
                     + "\".archive_change ORDER BY seq")) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getString(2));
            }
        }
        return rows;
    }
}
