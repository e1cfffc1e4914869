package io.dynamicindex.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.infra.RunTokens;

/**
 * The scheduler reaches the indexer twice: the console's gateway forwards an operator's request, and an adaptive
 * route reads the indexer's back-pressure. With the link between them stopped, hanging or answering garbage (a TCP
 * proxy in front of the real indexer), the gateway answers 502 or 504 within its timeout, the route keeps moving on
 * the index queue's depth alone, and its budget reason says why the indexer's signal is missing; once the link is
 * back, the reason clears and every change posted meanwhile is searchable.
 */
class IndexerLinkFaultsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String UNAVAILABLE = "indexer status unavailable";

    @Test
    void gatewayAndAdaptiveThrottleStayBoundedAndSayWhyWhileTheIndexerLinkFails() throws Exception {
        String route = "dynamic-index.scheduler.routes.console-route.";
        Map<String, Map<String, String>> extra = Map.of("queue-scheduler", Map.of(
                route + "adaptive.target-depth", "1000", "dynamic-index.console.timeout", TIMEOUT.toSeconds() + "s"));
        try (ManagementStack stack = new ManagementStack(extra)) {
            assertThat(status(stack).statusCode()).isEqualTo(200);
            int posted = 0;

            stack.indexerLink.cut();
            assertBoundedProblem(stack, 502);
            posted += postAndAwaitReason(stack, posted, "Connect");

            stack.indexerLink.hang();
            posted += postAndAwaitReason(stack, posted, "no answer within");
            assertBoundedProblem(stack, 504);

            stack.indexerLink.answerGarbage(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 9\r\n\r\nnot json!").getBytes(StandardCharsets.UTF_8));
            posted += postAndAwaitReason(stack, posted, "not a status");
            stack.indexerLink.answerGarbage("garbage, not HTTP\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertBoundedProblem(stack, 502);

            stack.indexerLink.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> !reason(stack).contains(UNAVAILABLE));
            assertThat(status(stack).statusCode()).isEqualTo(200);
            int expected = posted;
            await().atMost(Duration.ofSeconds(60)).until(() -> stack.elasticsearch.count(stack.index) == expected);
            assertThat(stack.logText()).contains("cannot be read").contains("can be read again");
        }
    }

    /** The gateway's answer about the indexer comes within its timeout plus a margin, with the given status. */
    private static void assertBoundedProblem(ManagementStack stack, int expected) {
        long started = System.nanoTime();
        HttpResponse<String> answer = status(stack);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(answer.statusCode()).as("gateway answer %s", answer.body()).isEqualTo(expected);
        assertThat(answer.body()).contains("indexer 0");
        assertThat(took).isLessThan(TIMEOUT.plusSeconds(3));
    }

    /**
     * Posts ten changes and waits until the route moved them and its budget reason names the missing signal;
     * returns how many changes it posted.
     */
    private static int postAndAwaitReason(ManagementStack stack, int before, String why) {
        StringBuilder changes = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            changes.append(stack.change("link-" + (before + i), String.valueOf(i)));
        }
        assertThat(stack.post(changes.toString())).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode view = route(stack);
            return view.path("moved").asLong() >= before + 10
                    && view.path("budgetReason").asString().contains(UNAVAILABLE)
                    && view.path("budgetReason").asString().contains(why);
        });
        return 10;
    }

    private static HttpResponse<String> status(ManagementStack stack) {
        return ManagementStack.send(RunTokens.asViewer(URI.create(stack.scheduler.url()
                + "/api/v1/indexers/0/api/v1/status")));
    }

    private static String reason(ManagementStack stack) {
        return route(stack).path("budgetReason").asString();
    }

    private static JsonNode route(ManagementStack stack) {
        return JSON.readTree(ManagementStack.send(RunTokens.asViewer(URI.create(stack.scheduler.url()
                + "/api/v1/routes/" + stack.route))).body());
    }
}
