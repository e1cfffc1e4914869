package io.dynamicindex.indexer.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;

import io.dynamicindex.common.QueueArguments;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TestNames;

/** Queues the indexer creates, against the real broker. */
class AmqpConnectionIT {

    @Test
    void createsAMissingQueueLazyOnRabbitMq() throws Exception {
        RabbitEndpoint rabbit = RabbitService.endpoint();
        assumeTrue(rabbit.isRabbitMq(), rabbit.rabbitMqOnly("lazy classic queues"));
        String queue = TestNames.unique("idx_created");
        try (AmqpConnection indexer = new AmqpConnection(rabbit.connectionFactory())) {
            indexer.declareIfMissing(queue);
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
