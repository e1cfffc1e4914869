package io.dynamicindex.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.common.MessageHeaders;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.scheduler.support.RoutesApi;
import io.dynamicindex.scheduler.support.Schedulers;
import io.dynamicindex.scheduler.support.TestQueues;

/**
 * The throttle counts changes: envelopes of 1 to 40 changes (with the x-changes header, as bare arrays without it,
 * and single objects) move at N = 100 changes per tick, a larger envelope than what is left moves whole and its
 * excess comes off the next tick, so after k ticks exactly k x N changes moved plus less than one envelope; every
 * change arrives, in order.
 */
class ChangeBudgetIT {

    private static final int PER_TICK = 100;
    private static final int LARGEST = 40;
    private static final String ROUTE = "changes";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void movesNChangesPerTickWithEnvelopesOfMixedSizes() throws Exception {
        PostgresEndpoint postgres = PostgresService.endpoint();
        String schema = TestNames.unique("sched_changes");
        postgres.createSchema(schema);
        try (TestQueues queues = new TestQueues()) {
            String source = queues.declare("changes_src");
            String target = queues.declare("changes_dst");
            int total = fill(queues, source);
            Map<Instant, Integer> ticks = new TreeMap<>();
            try (ConfigurableApplicationContext scheduler = Schedulers.startInJvm(
                    Schedulers.infrastructure(queues.rabbit(), postgres, schema),
                    Schedulers.route(ROUTE, source, target, "*/1 * * * * *", PER_TICK))) {
                RoutesApi api = RoutesApi.of(scheduler);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    api.ticks(ROUTE).stream().filter(tick -> tick.outcome().equals("MOVED"))
                            .forEach(tick -> ticks.put(tick.started(), tick.count()));
                    return ticks.values().stream().mapToInt(Integer::intValue).sum() >= total;
                });
            }
            System.out.println("[change-budget] changes per tick " + ticks.values() + ", " + total + " in all");
            assertPrefixesExact(new ArrayList<>(ticks.values()), total);
            assertThat(changesIn(queues.drain(target))).containsExactlyElementsOf(
                    IntStream.range(0, total).boxed().toList());
        } finally {
            postgres.dropSchema(schema);
        }
    }

    /** k ticks moved at most k x N changes plus less than one envelope, and at least k x N while the source held more. */
    private static void assertPrefixesExact(List<Integer> counts, int total) {
        long sum = 0;
        for (int k = 1; k <= counts.size(); k++) {
            sum += counts.get(k - 1);
            assertThat(sum).as("changes moved by the first %d ticks: %s", k, counts)
                    .isLessThanOrEqualTo((long) k * PER_TICK + LARGEST - 1);
            if (sum < total) {
                assertThat(sum).as("changes moved by the first %d ticks: %s", k, counts)
                        .isGreaterThanOrEqualTo((long) k * PER_TICK);
            }
        }
        assertThat(sum).isEqualTo(total);
    }

    /** Envelopes of 1..40 changes numbered in order: most with the header, every 5th a bare array, every 7th one object. */
    private static int fill(TestQueues queues, String source) throws Exception {
        int next = 0;
        try (Connection connection = queues.rabbit().connect(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < 60; i++) {
                int size = i % 7 == 0 ? 1 : 1 + (i * 37) % LARGEST;
                List<String> changes = new ArrayList<>();
                for (int c = 0; c < size; c++) {
                    changes.add("{\"n\":" + next++ + "}");
                }
                String body = i % 7 == 0 ? changes.get(0) : "[" + String.join(",", changes) + "]";
                AMQP.BasicProperties.Builder properties = new AMQP.BasicProperties.Builder().deliveryMode(2);
                if (i % 5 != 0 && i % 7 != 0) {
                    properties.headers(Map.of(MessageHeaders.CHANGES, size));
                }
                channel.basicPublish("", source, properties.build(), body.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(30_000);
        }
        return next;
    }

    private static List<Integer> changesIn(List<Delivery> messages) {
        List<Integer> changes = new ArrayList<>();
        for (Delivery message : messages) {
            JsonNode body = JSON.readTree(message.getBody());
            for (JsonNode change : body.isArray() ? body : List.of(body)) {
                changes.add(change.path("n").asInt());
            }
        }
        return changes;
    }
}
