package io.dynamicindex.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.dynamicindex.indexer.health.PipelineState;
import io.dynamicindex.indexer.health.QueueStatus;

/** How one bulk phase meets whole-request faults: every case settles nothing that is not the data's fault. */
class BulkSenderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Deque<BulkTransport.Response> answers = new ArrayDeque<>();
    private final List<Integer> sentSizes = new ArrayList<>();
    private final List<PipelineState> statesWhileWaiting = new ArrayList<>();
    private final QueueStatus status = new QueueStatus("q", new SimpleMeterRegistry(), Clock.systemUTC());

    @Test
    void holdsTheBatchWhileTheRequestIsRefused401AndReportsTheQueueHalted() throws InterruptedException {
        answers.add(answer(401, "{\"error\":\"unauthorized\"}"));
        answers.add(answer(401, "{\"error\":\"unauthorized\"}"));
        answers.add(items(201));

        List<ItemOutcome> outcomes = sender(0, Map.of()).apply(Phase.INDEX, List.of(index("A")));

        assertThat(outcomes).extracting(ItemOutcome::status).containsExactly(ItemOutcome.Status.APPLIED);
        assertThat(statesWhileWaiting).containsExactly(PipelineState.HALTED, PipelineState.HALTED);
        assertThat(status.state()).isEqualTo(PipelineState.RUNNING);
    }

    @Test
    void retriesA2xxAnswerThatIsNotABulkResponse() throws InterruptedException {
        answers.add(answer(200, "<html><body>Bad gateway</body></html>"));
        answers.add(items(201, 201));

        List<ItemOutcome> outcomes = sender(0, Map.of()).apply(Phase.INDEX, List.of(index("A"), index("B")));

        assertThat(outcomes).extracting(ItemOutcome::status)
                .containsExactly(ItemOutcome.Status.APPLIED, ItemOutcome.Status.APPLIED);
        assertThat(statesWhileWaiting).containsExactly(PipelineState.BACKING_OFF);
    }

    @Test
    void splitsARequestAnswered413InHalvesBeforeAnythingElse() throws InterruptedException {
        answers.add(answer(413, "too large"));
        answers.add(items(201));
        answers.add(items(201, 201));

        List<ItemOutcome> outcomes = sender(0, Map.of()).apply(Phase.INDEX,
                List.of(index("A"), index("B"), index("C")));

        assertThat(sentSizes).containsExactly(3, 1, 2);
        assertThat(outcomes).extracting(ItemOutcome::status).containsOnly(ItemOutcome.Status.APPLIED);
        assertThat(statesWhileWaiting).isEmpty();
    }

    @Test
    void haltsWhenTheRetryBudgetIsSpentAndStillAppliesLater() throws InterruptedException {
        answers.add(items(503));
        answers.add(items(503));
        answers.add(items(503));
        answers.add(items(201));

        List<ItemOutcome> outcomes = sender(2, Map.of()).apply(Phase.INDEX, List.of(index("A")));

        assertThat(outcomes).extracting(ItemOutcome::status).containsExactly(ItemOutcome.Status.APPLIED);
        assertThat(statesWhileWaiting).containsExactly(PipelineState.BACKING_OFF, PipelineState.HALTED,
                PipelineState.HALTED);
    }

    @Test
    void deadLettersASpentRetryWhenTheOperatorSaysSo() throws InterruptedException {
        answers.add(items(503));
        answers.add(items(503));

        List<ItemOutcome> outcomes = sender(2, Map.of("retries_exhausted", ErrorAction.DEAD_LETTER))
                .apply(Phase.INDEX, List.of(index("A")));

        assertThat(outcomes).singleElement().satisfies(outcome -> {
            assertThat(outcome.status()).isEqualTo(ItemOutcome.Status.DEAD_LETTER);
            assertThat(outcome.reason()).startsWith("still failing after 2 attempt(s)");
        });
    }

    @Test
    void appliesTheQueuesOwnOverrideOfAnItemError() throws InterruptedException {
        answers.add(items(400));

        List<ItemOutcome> outcomes = sender(0, Map.of("mapper_parsing_exception", ErrorAction.DROP))
                .apply(Phase.INDEX, List.of(index("A")));

        assertThat(outcomes).extracting(ItemOutcome::status).containsExactly(ItemOutcome.Status.DROP);
    }

    private BulkSender sender(int maxAttempts, Map<String, ErrorAction> overrides) {
        RetryPolicy policy = new RetryPolicy(ErrorPolicy.of(Map.of("test", overrides)),
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), bound -> bound), maxAttempts,
                Duration.ZERO, wait -> statesWhileWaiting.add(status.state()), Clock.systemUTC());
        status.started();
        return new BulkSender("q", this::send, JSON, policy, status, new SimpleMeterRegistry());
    }

    private BulkTransport.Response send(byte[] body) {
        sentSizes.add((int) new String(body, StandardCharsets.UTF_8).lines().count() / 2);
        BulkTransport.Response next = answers.poll();
        if (next == null) {
            throw new AssertionError("no answer prepared");
        }
        return next;
    }

    private static BulkTransport.Response answer(int status, String body) {
        return new BulkTransport.Response(status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static BulkTransport.Response items(int... statuses) {
        StringBuilder body = new StringBuilder("{\"errors\":true,\"items\":[");
        for (int i = 0; i < statuses.length; i++) {
            body.append(i == 0 ? "" : ",").append("{\"index\":{\"status\":").append(statuses[i]);
            if (statuses[i] >= 300) {
                String type = statuses[i] == 400 ? "mapper_parsing_exception" : "unavailable_shards_exception";
                body.append(",\"error\":{\"type\":\"").append(type).append("\",\"reason\":\"r\"}");
            }
            body.append("}}");
        }
        return answer(200, body.append("]}").toString());
    }

    private static IndexOperation index(String id) {
        return new IndexOperation(Phase.INDEX, new DocumentKey("products", id), null, null,
                JSON.readTree("{\"name\":\"" + id + "\"}"), false);
    }
}
