package io.dynamicindex.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.common.QueueArguments;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.TcpProxy;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.scheduler.schedule.RouteScheduler;
import io.dynamicindex.scheduler.schedule.RouteState;
import io.dynamicindex.scheduler.schedule.TickRecord;
import io.dynamicindex.scheduler.schedule.TickRecord.Outcome;
import io.dynamicindex.scheduler.support.Schedulers;
import io.dynamicindex.scheduler.support.TestQueues;

/** Moving, against a real RabbitMQ and PostgreSQL, with the scheduler in this JVM. */
class QueueSchedulerIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** These tests look at single messages: the scheduler moves them unchanged. */
    private static final Map<String, String> NO_PACKING = Map.of("dynamic-index.scheduler.pack.max-changes", "1");

    private final TestQueues queues = new TestQueues();
    private final PostgresEndpoint postgres = PostgresService.endpoint();
    private final String schema = TestNames.unique("sched");
    private ConfigurableApplicationContext scheduler;

    @BeforeEach
    void createSchema() {
        postgres.createSchema(schema);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        queues.close();
        postgres.dropSchema(schema);
    }

    @Test
    void movesExactlyNOnEachOfTenTicksThenEverythingLeftAndCarriesMessagesUnchanged() throws Exception {
        String source = queues.declare("sched_src");
        String target = queues.declare("sched_dst");
        queues.fill(source, 10 * 50 + 30);
        RouteState state = start(Schedulers.route("r", source, target, "*/1 * * * * *", 50),
                Map.of("dynamic-index.scheduler.window", "20"), NO_PACKING);

        await().atMost(PATIENCE).until(() -> state.moved() == 530);

        List<Integer> counts = state.recentTicks().stream().filter(tick -> tick.outcome() == Outcome.MOVED)
                .map(TickRecord::count).toList();
        assertThat(counts.subList(0, 11)).containsExactly(50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 30);
        assertThat(state.failedTicks()).isZero();
        List<Delivery> moved = queues.drain(target);
        assertThat(moved).extracting(message -> message.getProperties().getMessageId())
                .containsExactlyElementsOf(IntStream.range(0, 530).mapToObj(i -> "m-" + i).toList());
        assertThat(moved).allSatisfy(message -> {
            AMQP.BasicProperties properties = message.getProperties();
            int n = Integer.parseInt(properties.getMessageId().substring(2));
            assertThat(message.getBody()).isEqualTo(TestQueues.body(n));
            assertThat(properties.getDeliveryMode()).isEqualTo(2);
            assertThat(properties.getContentType()).isEqualTo("application/json");
            assertThat(properties.getHeaders().get("x-partner").toString()).isEqualTo("tshop");
        });
        assertThat(queues.count(source)).isZero();
    }

    @Test
    void keepsMessagesInTheSourceWhileTheTargetQueueIsGone() throws Exception {
        String source = queues.declare("sched_src");
        String target = queues.declare("sched_gone");
        RouteState state = start(Schedulers.route("r", source, target, "*/1 * * * * *", 10));
        queues.delete(target);
        queues.fill(source, 40);

        await().atMost(PATIENCE).until(() -> state.failedTicks() >= 2);

        assertThat(state.moved()).isZero();
        assertThat(state.lastError()).contains(target);
        assertThat(queues.count(source)).isEqualTo(40);
    }

    @Test
    void failedTicksDoNotSpendTheDeliveryLimitOfAQuorumSourceQueue() throws Exception {
        assumeTrue(queues.rabbit().isRabbitMq(), queues.rabbit().rabbitMqOnly("quorum queues"));
        String source = TestNames.unique("sched_quorum");
        String parking = queues.declareNamed(QueueArguments.parkingQueue(source), null);
        queues.declareNamed(source, QueueArguments.quorum(2, parking));
        String target = queues.declare("sched_back");
        queues.fill(source, 30);
        RouteState state = start(Schedulers.route("r", source, target, "*/1 * * * * *", 10));
        queues.delete(target);

        await().atMost(PATIENCE).until(() -> state.failedTicks() >= 4);
        queues.declareNamed(target, null);
        await().atMost(PATIENCE).until(() -> state.moved() == 30);

        assertThat(queues.count(parking)).isZero();
        assertThat(queues.drainIds(target)).containsExactlyElementsOf(
                IntStream.range(0, 30).mapToObj(i -> "m-" + i).toList());
    }

    @Test
    void losesNothingWhenTheTargetRejectsPublishes() throws Exception {
        assumeTrue(queues.rabbit().isRabbitMq(), queues.rabbit().rabbitMqOnly("x-overflow=reject-publish"));
        String source = queues.declare("sched_src");
        String target = queues.declare("sched_full", Map.of("x-max-length", 5, "x-overflow", "reject-publish"));
        queues.fill(source, 40);
        RouteState state = start(Schedulers.route("r", source, target, "*/1 * * * * *", 10),
                Map.of("dynamic-index.scheduler.window", "4"), NO_PACKING);

        await().atMost(PATIENCE).until(() -> state.failedTicks() >= 3);
        scheduler.close();

        // The target took m-0 .. m-4 and refused the rest. Only confirmed messages were acknowledged (m-4 perhaps
        // not yet when the refusal came: then it is in both queues); everything refused is back in the source.
        List<String> inTarget = queues.drainIds(target);
        List<String> inSource = queues.drainIds(source);
        assertThat(inTarget).containsExactly("m-0", "m-1", "m-2", "m-3", "m-4");
        assertThat(state.moved()).isBetween(4L, 5L);
        assertThat(inSource).hasSize(40 - (int) state.moved()).doesNotContain("m-0", "m-1", "m-2", "m-3");
        assertThat(union(inSource, inTarget)).hasSize(40);
    }

    @Test
    void resumesMovingAfterTheBrokerConnectionIsCut() throws Exception {
        String source = queues.declare("sched_src");
        String target = queues.declare("sched_dst");
        queues.fill(source, 400);
        try (TcpProxy proxy = new TcpProxy(queues.rabbit().host(), queues.rabbit().port())) {
            RouteState state = start(Schedulers.route("r", source, target, "*/1 * * * * *", 20),
                    Map.of("dynamic-index.scheduler.source.port", String.valueOf(proxy.port())));
            await().atMost(PATIENCE).until(() -> state.moved() >= 40);

            proxy.cut();
            long failedBefore = state.failedTicks();
            await().atMost(PATIENCE).until(() -> state.failedTicks() >= failedBefore + 2);
            proxy.restore();
            long movedAfterCut = state.moved();
            await().atMost(PATIENCE).until(() -> state.moved() >= movedAfterCut + 40);
            scheduler.close();
        }

        List<String> inTarget = queues.drainIds(target);
        List<String> inSource = queues.drainIds(source);
        assertThat(union(inSource, inTarget)).hasSize(400);
    }

    @Test
    void skipsAndCountsTicksThatFallDueWhileTheLastOneStillRuns() throws Exception {
        String source = queues.declare("sched_sac", Map.of("x-single-active-consumer", true));
        String target = queues.declare("sched_dst");
        try (Connection connection = queues.rabbit().connect(); Channel blocker = connection.createChannel()) {
            // This consumer stays the single active one, so the scheduler's consumer gets nothing and each tick
            // waits out its whole receive timeout of 2.5 s while the cron falls due every second.
            blocker.basicQos(1);
            blocker.basicConsume(source, false, (tag, delivery) -> { }, tag -> { });
            queues.fill(source, 10);
            RouteState state = start(Schedulers.route("r", source, target, "*/1 * * * * *", 5),
                    Map.of("dynamic-index.scheduler.receive-timeout", "2500ms"));

            await().atMost(PATIENCE).until(() -> state.skippedTicks() >= 4);

            List<TickRecord> ticks = state.recentTicks();
            assertThat(ticks).hasSizeGreaterThanOrEqualTo(2);
            for (int i = 1; i < ticks.size(); i++) {
                assertThat(Duration.between(ticks.get(i - 1).started(), ticks.get(i).started()))
                        .isGreaterThanOrEqualTo(Duration.ofMillis(2500));
            }
            assertThat(state.moved()).isZero();
        }
    }

    @Test
    void startsWithTheLegacySampleFileUnchanged() throws Exception {
        // The sample's routes use real queue names on the shared broker; stored runtime state keeps them paused,
        // which also shows that stored state is applied over the properties at startup.
        List<String> routes = List.of("APL2->Q_INDEX1", "PDM->Q_INDEX1", "TSHOP->Q_INDEX2");
        StoredState.migrate(postgres, schema);
        routes.forEach(route -> StoredState.pause(postgres, schema, route));
        scheduler = Schedulers.startInJvm(postgres.springProperties(schema), Map.of(
                "spring.config.additional-location", "file:../config/legacy/scheduler-legacy.properties"));

        List<RouteState> states = scheduler.getBean(RouteScheduler.class).states();
        assertThat(states).extracting(s -> s.current().name() + " " + s.current().cron() + " x"
                        + s.current().messagesPerTick())
                .containsExactly("APL2->Q_INDEX1 */1 * * * * * x1000", "PDM->Q_INDEX1 */5 * * * * * x3000",
                        "TSHOP->Q_INDEX2 */10 * * * * * x5000");
        assertThat(states).allMatch(RouteState::paused);
        scheduler.close();
        scheduler = null;
        deleteIfEmpty("APL2", "PDM", "TSHOP", "Q_INDEX1", "Q_INDEX2");
    }

    private RouteState start(Map<String, String> route) {
        return start(route, new Map[0]);
    }

    @SafeVarargs
    private RouteState start(Map<String, String> route, Map<String, String>... extra) {
        List<Map<String, String>> all = new ArrayList<>(List.of(
                Schedulers.infrastructure(queues.rabbit(), postgres, schema), route));
        all.addAll(List.of(extra));
        scheduler = Schedulers.startInJvm(all.toArray(Map[]::new));
        return scheduler.getBean(RouteScheduler.class).states().get(0);
    }

    private static Set<String> union(List<String> first, List<String> second) {
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        return all;
    }

    private void deleteIfEmpty(String... names) throws Exception {
        try (Connection connection = queues.rabbit().connect()) {
            for (String name : names) {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(name, false, true);
                } catch (java.io.IOException e) {
                    // holds messages that this test did not put there: leave it
                }
            }
        }
    }
}
