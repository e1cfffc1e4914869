package io.dynamicindex.scheduler.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;

import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;

import io.dynamicindex.common.QueueArguments;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.scheduler.config.SchedulerProperties.Broker;

/** Queues the scheduler creates, against the real broker. */
class BrokerConnectionIT {

    @Test
    void createsAMissingQueueLazyOnRabbitMq() throws Exception {
        RabbitEndpoint rabbit = RabbitService.endpoint();
        assumeTrue(rabbit.isRabbitMq(), rabbit.rabbitMqOnly("lazy classic queues"));
        String queue = TestNames.unique("sched_created");
        try (BrokerConnection broker = new BrokerConnection(new Broker(rabbit.host(), rabbit.port(),
                rabbit.username(), rabbit.password(), "/", java.util.List.of()), "test", Duration.ofSeconds(5))) {
            broker.declareIfMissing(queue);
        }
        try {
            assertThat(rabbit.declaredWith(queue, QueueArguments.classicLazy())).isTrue();
        } finally {
            try (Connection connection = rabbit.connect()) {
                connection.createChannel().queueDelete(queue);
            }
        }
    }
}
