package io.dynamicindex.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.infra.RunTokens;

/**
 * The adaptive throttle against a slow Elasticsearch: with every _bulk held two seconds by a proxy, a burst of
 * 10,000 changes (200 requests of 50) waits in the source queue while the index queue stays within a few times its
 * target depth and stops growing (a fixed N of 2,000 per tick would move the whole burst into it within five ticks),
 * the route's budget shows why it was lowered, and once Elasticsearch is fast again every change is searchable.
 */
class AdaptiveThrottleIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int REQUESTS = 200;
    private static final int PER_REQUEST = 50;
    private static final int TARGET_DEPTH = 10;

    @Test
    void keepsTheIndexQueueNearItsTargetWhileTheSourceAbsorbsABurst() throws Exception {
        String route = "dynamic-index.scheduler.routes.console-route.";
        Map<String, Map<String, String>> extra = Map.of(
                // target-depth counts index-queue messages: packs of up to two requests here
                "queue-scheduler", Map.of(route + "messages-per-tick", "2000",
                        route + "adaptive.target-depth", String.valueOf(TARGET_DEPTH),
                        route + "adaptive.minimum", "1",
                        "dynamic-index.scheduler.pack.max-changes", String.valueOf(2 * PER_REQUEST)),
                "queue-indexer", Map.of("dynamic-index.indexer.prefetch", "20",
                        "dynamic-index.indexer.buffer.max-size", "20"));
        try (ManagementStack stack = new ManagementStack(extra)) {
            stack.elasticsearchProxy.delayBulks(Duration.ofSeconds(2));
            for (int request = 0; request < REQUESTS; request++) {
                StringBuilder changes = new StringBuilder();
                for (int i = 0; i < PER_REQUEST; i++) {
                    changes.append(stack.change("burst-" + request + "-" + i, String.valueOf(i)));
                }
                assertThat(stack.post(changes.toString())).isEqualTo(202);
            }
            List<Long> targetDepths = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            long sourceDepthMidway = 0;
            for (int sample = 0; sample < 40; sample++) {
                Thread.sleep(500);
                JsonNode view = route(stack);
                targetDepths.add(view.path("targetDepth").asLong());
                reasons.add(view.path("budgetReason").asString());
                if (sample == 20) {
                    sourceDepthMidway = view.path("sourceDepth").asLong();
                }
            }
            assertThat(reasons).anySatisfy(reason -> assertThat(reason).startsWith("lowered: index queue holds"));
            System.out.println("[adaptive] index queue depths " + targetDepths + "; source depth after 10 s "
                    + sourceDepthMidway + "; budgets " + reasons.get(reasons.size() - 1));
            long peak = targetDepths.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(peak).as("index queue depths %s", targetDepths).isLessThanOrEqualTo(6L * TARGET_DEPTH);
            assertThat(targetDepths.get(targetDepths.size() - 1)).as("index queue depths %s", targetDepths)
                    .isLessThanOrEqualTo(peak);
            assertThat(sourceDepthMidway).as("requests still waiting in the source after 10 s").isPositive();

            stack.elasticsearchProxy.forward();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> stack.elasticsearch.count(stack.index) == (long) REQUESTS * PER_REQUEST);
        }
    }

    private static JsonNode route(ManagementStack stack) {
        return JSON.readTree(ManagementStack.send(RunTokens.asViewer(URI.create(stack.scheduler.url()
                + "/api/v1/routes/" + stack.route))).body());
    }
}
