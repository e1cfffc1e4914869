package io.dynamicindex.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class QueueArgumentsTest {

    private static final Map<String, Object> RABBITMQ = Map.of("product", "RabbitMQ", "version", "3.10.8");
    private static final Map<String, Object> QPID = Map.of("product", "Apache Qpid Broker-J Core", "version", "9.2.1");

    @Test
    void keepsEveryArgumentOnRabbitMq() {
        Map<String, Object> wanted = Map.of("x-queue-type", "quorum", "x-max-length", 10L);

        assertThat(QueueArguments.forBroker(wanted, RABBITMQ)).isEqualTo(wanted);
    }

    @Test
    void leavesOutRabbitMqExtensionsOnAnotherBroker() {
        Map<String, Object> wanted = Map.of("x-queue-mode", "lazy", "x-queue-type", "quorum",
                "x-delivery-limit", 5, "x-max-length", 10L, "x-overflow", "reject-publish", "alternate", "kept");

        assertThat(QueueArguments.forBroker(wanted, QPID)).containsOnly(Map.entry("alternate", "kept"));
    }

    @Test
    void createsMissingQueuesLazyOnlyOnRabbitMq() {
        assertThat(QueueArguments.forMissingQueue(RABBITMQ)).isEqualTo(QueueArguments.classicLazy());
        assertThat(QueueArguments.forMissingQueue(QPID)).isEmpty();
        assertThat(QueueArguments.forMissingQueue(Map.of())).isEmpty();
    }

    @Test
    void parkingQueuesAreQuorumOnAClusterAndLazyClassicOnOneNode() {
        assertThat(QueueArguments.forParkingQueue(true, RABBITMQ)).isEqualTo(Map.of("x-queue-type", "quorum"));
        assertThat(QueueArguments.forParkingQueue(false, RABBITMQ)).isEqualTo(QueueArguments.classicLazy());
        assertThat(QueueArguments.forParkingQueue(true, QPID)).isEmpty();
    }

    @Test
    void sourceQueuesAreQuorumWithTheirParkingQueueOrLazyClassicAndRefusePublishesWhenFull() {
        assertThat(QueueArguments.forSourceQueue("q", true, 7, true, null)).containsEntry("x-queue-type", "quorum")
                .containsEntry("x-delivery-limit", 7).containsEntry("x-dead-letter-routing-key", "q.parked")
                .doesNotContainKey("x-queue-mode");
        assertThat(QueueArguments.forSourceQueue("q", false, 7, true, 100L)).containsOnly(
                Map.entry("x-queue-mode", "lazy"), Map.entry("x-max-length", 100L),
                Map.entry("x-overflow", "reject-publish"));
        assertThat(QueueArguments.forSourceQueue("q", false, 7, false, null)).isEmpty();
    }
}
