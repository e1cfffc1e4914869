package io.dynamicindex.server.publish;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.stereotype.Component;

import io.dynamicindex.common.QueueArguments;
import io.dynamicindex.server.config.QueueServerProperties;

/**
 * Messages parked by the broker: a quorum source queue dead-letters a message that consumers returned more than its
 * delivery limit into {@code <queue>.parked}. The gauge {@code dynamicindex.server.parked{queue}} shows how many wait
 * there; the management endpoint {@code /actuator/parked} lists them per queue, and {@code POST
 * /actuator/parked/<queue>} moves up to 1,000 of them back to the end of their queue, each one confirmed before it leaves the
 * parking queue, so a failure midway duplicates at most one page and loses nothing.
 */
@Component
@Endpoint(id = "parked")
public class ParkedMessages {

    private static final Logger LOG = LoggerFactory.getLogger(ParkedMessages.class);
    private static final int PAGE = 100;
    private static final int MOVE_LIMIT = 1000;
    private static final long CONFIRM_TIMEOUT_MILLIS = 10_000;

    private final List<String> quorumQueues;
    private final RabbitTemplate rabbit;

    public ParkedMessages(QueueServerProperties properties, ConnectionFactory connectionFactory,
                          RabbitConnectionDetails broker, MeterRegistry meters) {
        boolean clustered = broker.getAddresses().size() > 1;
        this.quorumQueues = properties.queues().entrySet().stream()
                .filter(queue -> queue.getValue().quorum(clustered)).map(Map.Entry::getKey).toList();
        this.rabbit = new RabbitTemplate(connectionFactory);
        quorumQueues.forEach(queue -> Gauge.builder("dynamicindex.server.parked", () -> count(queue))
                .tag("queue", queue).description("messages waiting in the queue's parking queue").register(meters));
    }

    @ReadOperation
    public Map<String, Long> parked() {
        Map<String, Long> counts = new LinkedHashMap<>();
        quorumQueues.forEach(queue -> counts.put(queue, count(queue)));
        return counts;
    }

    /** Moves up to 1,000 parked messages back to their queue; returns how many. Call again for more. */
    @WriteOperation
    public Map<String, Object> moveBack(@Selector String queue) {
        if (!quorumQueues.contains(queue)) {
            String reason = "queue '" + queue + "' is not a quorum source queue of this server; quorum queues: "
                    + quorumQueues;
            throw new InvalidEndpointRequestException(reason, reason);
        }
        int wanted = MOVE_LIMIT;
        int moved = 0;
        while (moved < wanted) {
            int page = Math.min(PAGE, wanted - moved);
            Integer done = rabbit.execute(channel -> movePage(channel, queue, page));
            if (done == null || done == 0) {
                break;
            }
            moved += done;
        }
        LOG.info("{}: moved {} parked message(s) back", queue, moved);
        return Map.of("queue", queue, "moved", moved);
    }

    private static int movePage(Channel channel, String queue, int page) throws Exception {
        String parking = QueueArguments.parkingQueue(queue);
        long lastTag = -1;
        int count = 0;
        for (GetResponse message; count < page && (message = channel.basicGet(parking, false)) != null; count++) {
            channel.basicPublish("", queue, true, message.getProps(), message.getBody());
            lastTag = message.getEnvelope().getDeliveryTag();
        }
        if (count > 0) {
            channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
            channel.basicAck(lastTag, true);
        }
        return count;
    }

    private long count(String queue) {
        try {
            Long count = rabbit.execute(channel -> {
                try {
                    return (long) channel.queueDeclarePassive(QueueArguments.parkingQueue(queue)).getMessageCount();
                } catch (IOException missing) {
                    return 0L;
                }
            });
            return count == null ? 0 : count;
        } catch (AmqpException e) {
            return -1;
        }
    }
}
