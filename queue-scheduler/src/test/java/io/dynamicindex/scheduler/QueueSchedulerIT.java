package io.dynamicindex.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.scheduler.move.RouteScheduler;
import io.dynamicindex.scheduler.move.RouteState;

/** The scheduler against a real broker. */
class QueueSchedulerIT {

    private final RabbitEndpoint rabbit = RabbitService.endpoint();
    private final List<String> queues = new ArrayList<>();
    private ConfigurableApplicationContext scheduler;

    @AfterEach
    void cleanUp() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            for (String queue : queues) {
                channel.queueDelete(queue);
            }
        }
    }

    @Test
    void movesExactlyNPerTickAndCarriesMessagesUnchanged() throws Exception {
        String source = queue("sched_src");
        String target = queue("sched_dst");
        fill(source, 230);
        scheduler = start(Map.of(
                "dynamic-index.scheduler.routes.r.source", source,
                "dynamic-index.scheduler.routes.r.target", target,
                "dynamic-index.scheduler.routes.r.cron", "*/1 * * * * *",
                "dynamic-index.scheduler.routes.r.messages-per-tick", "50",
                "dynamic-index.scheduler.window", "20"));
        RouteState state = scheduler.getBean(RouteScheduler.class).states().get(0);
        List<Integer> tickCounts = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (state.lastTick() != null && (tickCounts.size() < ticksSeen(state))) {
                tickCounts.add(state.lastTickCount());
            }
            return state.moved() == 230;
        });

        assertThat(tickCounts).allMatch(count -> count == 50 || count == 30);
        List<GetResponse> moved = drain(target);
        assertThat(moved).hasSize(230);
        GetResponse first = moved.get(0);
        assertThat(new String(first.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":0}");
        assertThat(first.getProps().getMessageId()).isEqualTo("m-0");
        assertThat(first.getProps().getDeliveryMode()).isEqualTo(2);
        assertThat(first.getProps().getContentType()).isEqualTo("application/json");
        assertThat(first.getProps().getHeaders().get("x-partner").toString()).isEqualTo("tshop");
        assertThat(count(source)).isZero();
    }

    @Test
    void keepsMessagesInTheSourceWhenTheTargetRefusesThem() throws Exception {
        String source = queue("sched_src");
        String target = queue("sched_gone");
        fill(source, 40);
        scheduler = start(Map.of(
                "dynamic-index.scheduler.routes.r.source", source,
                "dynamic-index.scheduler.routes.r.target", target,
                "dynamic-index.scheduler.routes.r.cron", "*/1 * * * * *",
                "dynamic-index.scheduler.routes.r.messages-per-tick", "10"));
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(target);
        }
        RouteState state = scheduler.getBean(RouteScheduler.class).states().get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> state.failedTicks() >= 2);

        assertThat(state.moved()).isZero();
        assertThat(count(source)).isEqualTo(40);
    }

    @Test
    void startsWithTheLegacySampleFileUnchanged() throws Exception {
        scheduler = new SpringApplicationBuilder(QueueSchedulerApplication.class).run(
                "--spring.config.additional-location=file:../../shared/samples/scheduler-legacy.properties",
                "--server.port=0");
        List<RouteState> states = scheduler.getBean(RouteScheduler.class).states();
        assertThat(states).extracting(s -> s.route().source() + "->" + s.route().target() + " x"
                        + s.route().messagesPerTick())
                .containsExactly("APL2->Q_INDEX1 x1000", "PDM->Q_INDEX1 x3000", "TSHOP->Q_INDEX2 x5000");
        scheduler.close();
        deleteIfEmpty("APL2", "PDM", "TSHOP", "Q_INDEX1", "Q_INDEX2");
    }

    private void deleteIfEmpty(String... names) throws Exception {
        try (Connection connection = rabbit.connect()) {
            for (String name : names) {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(name, false, true);
                } catch (java.io.IOException e) {
                    // holds messages that this test did not put there: leave it
                }
            }
        }
    }

    private static int ticksSeen(RouteState state) {
        return (int) Math.ceil(state.moved() / 50.0);
    }

    private ConfigurableApplicationContext start(Map<String, String> routeProperties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--dynamic-index.scheduler.source.host=" + rabbit.host(),
                "--dynamic-index.scheduler.source.port=" + rabbit.port(),
                "--dynamic-index.scheduler.source.username=" + rabbit.username(),
                "--dynamic-index.scheduler.source.password=" + rabbit.password(),
                "--dynamic-index.scheduler.target.host=" + rabbit.host(),
                "--dynamic-index.scheduler.target.port=" + rabbit.port(),
                "--dynamic-index.scheduler.target.username=" + rabbit.username(),
                "--dynamic-index.scheduler.target.password=" + rabbit.password()));
        routeProperties.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(QueueSchedulerApplication.class).run(args.toArray(String[]::new));
    }

    private String queue(String prefix) throws Exception {
        String name = TestNames.unique(prefix);
        queues.add(name);
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(name, true, false, false, null);
        }
        return name;
    }

    private void fill(String queue, int count) throws Exception {
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < count; i++) {
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
                        .contentType("application/json").messageId("m-" + i)
                        .headers(Map.of("x-partner", "tshop")).build();
                channel.basicPublish("", queue, properties, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    private long count(String queue) throws Exception {
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    private List<GetResponse> drain(String queue) throws Exception {
        List<GetResponse> messages = new ArrayList<>();
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            GetResponse message;
            while ((message = channel.basicGet(queue, true)) != null) {
                messages.add(message);
            }
        }
        return messages;
    }
}
