package io.dynamicindex.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.common.Backoff;
import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;
import io.dynamicindex.indexer.health.QueueStatus;

class PhasedApplierTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final List<String> sent = new ArrayList<>();
    private final Deque<Object> answers = new ArrayDeque<>();
    private final List<Duration> waits = new ArrayList<>();

    private final BulkSender sender = new BulkSender("q", this::answer, JSON, new RetryPolicy(
            ErrorPolicy.of(Map.of()), new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), bound -> bound),
            0, Duration.ZERO, waits::add, Clock.systemUTC()),
            new QueueStatus("q", new SimpleMeterRegistry(), Clock.systemUTC()), new SimpleMeterRegistry());

    @Test
    void startsANewRoundWhenADocumentRepeatsSoDeleteThenIndexLeavesItIndexed() {
        List<List<IndexOperation>> messages = List.of(
                List.of(delete("P1")), List.of(index("P2")), List.of(index("P1")));
        assertThat(PhasedApplier.rounds(messages)).containsExactly(List.of(0, 1), List.of(2));
    }

    @Test
    void sendsPhasesInOrderWithinARound() throws InterruptedException {
        answerAll(3, 200);
        new PhasedApplier(sender, Duration.ofSeconds(5)).apply(List.of(List.of(
                IndexOperation.delete(Phase.PREV_DELETE, key("OLD"), null, null), index("P1"),
                IndexOperation.delete(Phase.TRIGGER_DELETE, new DocumentKey("unmatched", "P1"), null, null))));
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0)).startsWith("{\"delete\":{\"_index\":\"products\",\"_id\":\"OLD\"");
        assertThat(sent.get(1)).startsWith("{\"index\":");
        assertThat(sent.get(2)).startsWith("{\"delete\":{\"_index\":\"unmatched\"");
    }

    @Test
    void resendsOnlyTheItemsThatFailedRetryably() throws InterruptedException {
        answers.add(items(201, 429, 400));
        answers.add(items(201));
        List<PhasedApplier.MessageOutcome> outcomes = new PhasedApplier(sender, Duration.ofSeconds(5))
                .apply(List.of(List.of(index("A")), List.of(index("B")), List.of(index("C"))));

        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).contains("\"_id\":\"B\"").doesNotContain("\"_id\":\"A\"").doesNotContain("\"C\"");
        assertThat(outcomes.get(0).failures()).isEmpty();
        assertThat(outcomes.get(1).failures()).isEmpty();
        assertThat(outcomes.get(2).failures()).singleElement()
                .satisfies(f -> assertThat(f.outcome().errorType()).isEqualTo("mapper_parsing_exception"));
        assertThat(waits).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void keepsRetryingWhileElasticsearchIsUnreachable() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            answers.add(new IOException("Connection refused"));
        }
        answers.add(items(201));
        List<PhasedApplier.MessageOutcome> outcomes = new PhasedApplier(sender, Duration.ofSeconds(5)).apply(List.of(List.of(index("A"))));

        assertThat(outcomes.get(0).failures()).isEmpty();
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800), Duration.ofSeconds(1));
    }

    @Test
    void countsAVersionConflictAsStaleAndAMissingDeleteAsApplied() throws InterruptedException {
        answers.add(items(409));
        answers.add(items(404));
        List<PhasedApplier.MessageOutcome> outcomes = new PhasedApplier(sender, Duration.ofSeconds(5)).apply(List.of(
                List.of(new IndexOperation(Phase.INDEX, key("A"), null, 5L, JSON.readTree("{}"), false)),
                List.of(delete("B"))));
        assertThat(outcomes.get(0).stale()).hasSize(1);
        assertThat(outcomes.get(0).failures()).isEmpty();
        assertThat(outcomes.get(1).failures()).isEmpty();
    }

    @Test
    void keepsTheVersionElasticsearchAnsweredForEachAppliedOperationAndAFoldedOnesForItsLastMessage()
            throws InterruptedException {
        answers.add(new BulkTransport.Response(200, ("{\"errors\":false,\"items\":["
                + "{\"index\":{\"status\":200,\"_version\":7,\"result\":\"updated\"}},"
                + "{\"index\":{\"status\":201,\"_version\":3,\"result\":\"created\"}}]}")
                .getBytes(StandardCharsets.UTF_8)));
        IndexOperation first = index("A");
        IndexOperation folded = new IndexOperation(Phase.UPDATE, key("A"), null, null, JSON.readTree("{\"n\":1}"),
                false);
        IndexOperation other = index("B");

        List<PhasedApplier.MessageOutcome> outcomes = new PhasedApplier(sender, Duration.ofSeconds(5))
                .apply(List.of(List.of(first), List.of(folded), List.of(other)));

        assertThat(sent).hasSize(1);
        assertThat(outcomes.get(0).versions()).isEmpty();
        assertThat(outcomes.get(1).versions()).containsExactly(Map.entry(folded, 7L));
        assertThat(outcomes.get(2).versions()).containsExactly(Map.entry(other, 3L));
    }

    private BulkTransport.Response answer(byte[] body) throws IOException {
        sent.add(new String(body, StandardCharsets.UTF_8));
        Object next = answers.poll();
        if (next instanceof IOException e) {
            throw e;
        }
        if (next == null) {
            throw new AssertionError("no answer prepared");
        }
        return (BulkTransport.Response) next;
    }

    private void answerAll(int requests, int status) {
        for (int i = 0; i < requests; i++) {
            answers.add(items(status));
        }
    }

    private static BulkTransport.Response items(int... statuses) {
        StringBuilder body = new StringBuilder("{\"errors\":true,\"items\":[");
        for (int i = 0; i < statuses.length; i++) {
            body.append(i == 0 ? "" : ",").append("{\"index\":{\"status\":").append(statuses[i]);
            if (statuses[i] >= 300) {
                String type = statuses[i] == 400 ? "mapper_parsing_exception"
                        : statuses[i] == 409 ? "version_conflict_engine_exception" : "error_" + statuses[i];
                body.append(",\"error\":{\"type\":\"").append(type).append("\",\"reason\":\"r\"}");
            }
            body.append("}}");
        }
        return new BulkTransport.Response(200, body.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }

    private static DocumentKey key(String id) {
        return new DocumentKey("products", id);
    }

    private static IndexOperation index(String id) {
        return new IndexOperation(Phase.INDEX, key(id), null, null, JSON.readTree("{\"name\":\"" + id + "\"}"), false);
    }

    private static IndexOperation delete(String id) {
        return IndexOperation.delete(Phase.DELETE, key(id), null, null);
    }
}
