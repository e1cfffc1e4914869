package io.dynamicindex.indexer.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.IndexerHarness;

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
