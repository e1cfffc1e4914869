package io.dynamicindex.indexer.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.infra.RunTokens;

/**
 * Replay against the real broker and database: a letter whose queue is gone is refused and stays unreplayed, and
 * two replays at once publish every letter exactly once. The letters are written straight into the table, for a
 * queue no indexer consumes, so the test counts exactly what the replays published.
 */
class ReplayIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void refusesAReplayToAQueueThatDoesNotExistAndKeepsTheLetterUnreplayed() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            harness.start(harness.properties());
            String missing = TestNames.unique("idx_missing");
            long id = insertLetters(harness, missing, 1).get(0);

            HttpResponse<String> single = post(harness.url() + "/api/v1/dead-letters/" + id + "/replay");
            HttpResponse<String> all = post(harness.url() + "/api/v1/dead-letters/replay?queue=" + missing);

            assertThat(single.statusCode()).isEqualTo(409);
            assertThat(single.body()).contains("queue '" + missing + "' does not exist");
            assertThat(all.statusCode()).isEqualTo(409);
            assertThat(unreplayed(harness, missing)).isEqualTo(1);
        }
    }

    @Test
    void twoConcurrentReplaysPublishEachLetterOnce() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            harness.start(harness.properties());
            String target = TestNames.unique("idx_replay");
            try (com.rabbitmq.client.Connection connection = harness.rabbit.connect();
                 Channel channel = connection.createChannel()) {
                channel.queueDeclare(target, true, false, false, null);
                try {
                    insertLetters(harness, target, 250);
                    String url = harness.url() + "/api/v1/dead-letters/replay?queue=" + target;
                    CompletableFuture<HttpResponse<String>> first = postAsync(url);
                    CompletableFuture<HttpResponse<String>> second = postAsync(url);

                    assertThat(first.get().statusCode()).isEqualTo(200);
                    assertThat(second.get().statusCode()).isEqualTo(200);
                    assertThat(replayedCount(first.get()) + replayedCount(second.get())).isEqualTo(250);
                    assertThat(channel.queueDeclarePassive(target).getMessageCount()).isEqualTo(250);
                    assertThat(unreplayed(harness, target)).isZero();
                } finally {
                    channel.queueDelete(target);
                }
            }
        }
    }

    private static List<Long> insertLetters(IndexerHarness harness, String queue, int count) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = harness.postgres.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO \"" + harness.schema + "\".dead_letter (queue, message, message_sha256, error_type, "
                        + "reason) VALUES (?, ?, sha256(?), 'rejected', 'test') RETURNING id")) {
            for (int i = 0; i < count; i++) {
                byte[] message = ("{\"action\":\"index\",\"index\":\"x\",\"id\":\"R" + i + "\",\"doc\":{}}")
                        .getBytes(StandardCharsets.UTF_8);
                insert.setString(1, queue);
                insert.setBytes(2, message);
                insert.setBytes(3, message);
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    ids.add(row.getLong(1));
                }
            }
        }
        return ids;
    }

    private static int unreplayed(IndexerHarness harness, String queue) throws Exception {
        try (Connection connection = harness.postgres.connect(); PreparedStatement count = connection.prepareStatement(
                "SELECT count(*) FROM \"" + harness.schema + "\".dead_letter WHERE queue = ? AND replayed_at IS NULL")) {
            count.setString(1, queue);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private static int replayedCount(HttpResponse<String> response) {
        return IndexerHarness.JSON.readTree(response.body()).path("replayed").asInt();
    }

    private static HttpResponse<String> post(String url) throws Exception {
        return postAsync(url).get();
    }

    private static CompletableFuture<HttpResponse<String>> postAsync(String url) {
        return HTTP.sendAsync(RunTokens.operatorWrite(URI.create(url), "POST", "").build(), HttpResponse.BodyHandlers.ofString());
    }
}
