package io.dynamicindex.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.infra.RunTokens;

import io.dynamicindex.outbox.support.Published;
import io.dynamicindex.outbox.support.RelayHarness;

/**
 * Many producer transactions at once, some held open for seconds after they took their ids while later ones commit,
 * some rolled back. Each producer locks its document's row before it inserts, as the operations guide asks. Every
 * committed row reaches the queue exactly once, no rolled-back row does, and each document's changes arrive in commit
 * order, although rows with lower ids were published after rows with higher ids.
 */
class OutOfOrderCommitIT {

    private static final int DOCUMENTS = 8;
    private static final int TRANSACTIONS = 240;
    private static final Pattern SEQ = Pattern.compile("\"seq\": ?(\\d+)");

    @Test
    void publishesEveryCommittedRowOnceInCommitOrderPerDocument() throws Exception {
        try (RelayHarness harness = new RelayHarness()) {
            ConfigurableApplicationContext relay = harness.startInJvm(Map.of("dynamic-index.outbox.batch-size", "20"));
            createDocuments(harness);
            Map<Long, String> committed = new ConcurrentHashMap<>();
            ExecutorService producers = Executors.newFixedThreadPool(16);
            List<Future<?>> done = new ArrayList<>();
            Random random = new Random(15);
            for (int i = 0; i < TRANSACTIONS; i++) {
                Change change = new Change("doc-" + random.nextInt(DOCUMENTS), 1 + random.nextInt(2),
                        random.nextInt(12) == 0 ? 1_000 + random.nextInt(1_500) : random.nextInt(5),
                        random.nextInt(20) == 0);
                done.add(producers.submit(() -> produce(harness, change, committed)));
            }
            for (Future<?> future : done) {
                future.get();
            }
            producers.shutdown();

            await().atMost(Duration.ofSeconds(30)).until(() -> harness.depth() >= committed.size());
            Thread.sleep(500);
            List<Published> messages = harness.drain();

            Map<Long, Long> copies = messages.stream().collect(Collectors.groupingBy(Published::outboxId,
                    Collectors.counting()));
            assertThat(copies.keySet()).as("every committed row, no rolled-back one")
                    .containsExactlyInAnyOrderElementsOf(committed.keySet());
            assertThat(copies.values()).as("each exactly once").containsOnly(1L);
            assertThat(messages).noneMatch(Published::possibleDuplicate);
            assertThat(lowerIdAfterHigher(messages)).as("some rows committed late, after higher ids were published")
                    .isTrue();
            Map<String, List<Integer>> sequences = new TreeMap<>();
            for (Published message : messages) {
                sequences.computeIfAbsent(committed.get(message.outboxId()), d -> new ArrayList<>())
                        .add(seq(message.body()));
            }
            sequences.forEach((document, seqs) -> assertThat(seqs).as(document + " in commit order")
                    .isEqualTo(countTo(seqs.size())));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status(relay))
                    .as("the status API, with a viewer token").contains("\"state\":\"PUBLISHING\"")
                    .contains("\"pendingIds\":0").contains("\"waitingRows\":0"));
        }
    }

    /**
     * One producer transaction: lock the document's row, take its next sequence numbers, insert one outbox row per
     * change, hold the transaction open for a while, then commit or roll back.
     */
    private record Change(String document, int rows, long holdMillis, boolean rollBack) {
    }

    private static Void produce(RelayHarness harness, Change change, Map<Long, String> committed) throws Exception {
        try (Connection connection = harness.database()) {
            connection.setAutoCommit(false);
            int seq = lockAndCount(connection, change);
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO outbox (queue, partner, "
                    + "document_key, payload) VALUES (?, 'test', ?, ?::jsonb) RETURNING id")) {
                for (int i = 1; i <= change.rows(); i++) {
                    insert.setString(1, harness.queue());
                    insert.setString(2, change.document());
                    insert.setString(3, "{\"action\":\"index\",\"index\":\"products\",\"id\":\""
                            + change.document() + "\",\"doc\":{\"seq\":" + (seq + i) + "}}");
                    try (ResultSet id = insert.executeQuery()) {
                        id.next();
                        ids.add(id.getLong(1));
                    }
                }
            }
            Thread.sleep(change.holdMillis());
            if (change.rollBack()) {
                connection.rollback();
            } else {
                connection.commit();
                ids.forEach(id -> committed.put(id, change.document()));
            }
        }
        return null;
    }

    /** Locks the document's row and moves its counter on by the change's rows; returns the counter before. */
    private static int lockAndCount(Connection connection, Change change) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "UPDATE document SET seq = seq + ? WHERE key = ? RETURNING seq - ?")) {
            lock.setInt(1, change.rows());
            lock.setString(2, change.document());
            lock.setInt(3, change.rows());
            try (ResultSet before = lock.executeQuery()) {
                before.next();
                return before.getInt(1);
            }
        }
    }

    private static void createDocuments(RelayHarness harness) throws SQLException {
        try (Connection connection = harness.database(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE document (key TEXT PRIMARY KEY, seq INT NOT NULL)");
            statement.execute("INSERT INTO document SELECT 'doc-' || n, 0 FROM generate_series(0, "
                    + (DOCUMENTS - 1) + ") n");
        }
    }

    private static String status(ConfigurableApplicationContext relay) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + relay.getEnvironment().getProperty("local.server.port")
                + "/api/v1/status");
        HttpResponse<String> response = HttpClient.newHttpClient().send(RunTokens.asViewer(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static boolean lowerIdAfterHigher(List<Published> messages) {
        long highest = 0;
        for (Published message : messages) {
            if (message.outboxId() < highest) {
                return true;
            }
            highest = message.outboxId();
        }
        return false;
    }

    private static int seq(String body) {
        Matcher matcher = SEQ.matcher(body);
        if (!matcher.find()) {
            throw new AssertionError("no seq in " + body);
        }
        return Integer.parseInt(matcher.group(1));
    }

    private static List<Integer> countTo(int n) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            numbers.add(i);
        }
        return numbers;
    }
}
