package io.dynamicindex.scheduler.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TestNames;

/** Uniquely named queues on the test broker, filled and read back by message id; deleted on close. */
public final class TestQueues implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RabbitEndpoint rabbit;

    /** Queues on the run's broker. */
    public TestQueues() {
        this(RabbitService.endpoint());
    }

    /** Queues on this broker (a test's own node). */
    public TestQueues(RabbitEndpoint rabbit) {
        this.rabbit = rabbit;
    }
    private final List<String> names = new ArrayList<>();

    public RabbitEndpoint rabbit() {
        return rabbit;
    }

    public String declare(String prefix) throws Exception {
        return declare(prefix, null);
    }

    /** A durable queue with the given arguments, under a unique name made from the prefix. */
    public String declare(String prefix, Map<String, Object> arguments) throws Exception {
        return declareNamed(TestNames.unique(prefix), arguments);
    }

    /** A durable queue of this exact name with the given arguments; deleted on close like the others. */
    public String declareNamed(String name, Map<String, Object> arguments) throws Exception {
        names.add(name);
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(name, true, false, false, arguments);
        }
        return name;
    }

    /** Publishes messages m-0 .. m-(count-1), persistent JSON with a header, and waits for the broker's confirms. */
    public void fill(String queue, int count) throws Exception {
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < count; i++) {
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
                        .contentType("application/json").messageId("m-" + i)
                        .headers(Map.of("x-partner", "tshop")).build();
                channel.basicPublish("", queue, properties, body(i));
                if (i % 5000 == 4999) {
                    channel.waitForConfirmsOrDie(30_000);
                }
            }
            channel.waitForConfirmsOrDie(30_000);
        }
    }

    public static byte[] body(int i) {
        return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Ready messages in the queue. */
    public long count(String queue) throws Exception {
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    /** Consumers of the queue now. */
    public long consumers(String queue) throws Exception {
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getConsumerCount();
        }
    }

    /** Takes every ready message off the queue, in queue order. Call it when nothing else consumes the queue. */
    public List<Delivery> drain(String queue) throws Exception {
        List<Delivery> messages = new ArrayList<>();
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            int expected = channel.queueDeclarePassive(queue).getMessageCount();
            if (expected == 0) {
                return messages;
            }
            CountDownLatch all = new CountDownLatch(expected);
            channel.basicQos(1000);
            channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                           byte[] body) throws IOException {
                    synchronized (messages) {
                        messages.add(new Delivery(envelope, properties, body));
                    }
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                    all.countDown();
                }
            });
            if (!all.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("drained only " + messages.size() + " of " + expected + " from "
                        + queue);
            }
        }
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /**
     * The ids of every change in the ready messages, in queue order: {@code m-n} for each change {@code {"n":n}}
     * that {@link #fill} published, whether it arrives alone or joined into an envelope by the scheduler.
     */
    public List<String> drainIds(String queue) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Delivery message : drain(queue)) {
            JsonNode body = JSON.readTree(message.getBody());
            for (JsonNode change : body.isArray() ? body : List.of(body)) {
                ids.add("m-" + change.path("n").asInt());
            }
        }
        return ids;
    }

    public void delete(String queue) throws Exception {
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        }
    }

    @Override
    public void close() throws Exception {
        try (Connection connection = rabbit.connect()) {
            for (String queue : names) {
                // a channel per queue: brokers other than RabbitMQ close the channel when a queue is already gone
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(queue);
                } catch (IOException alreadyGone) {
                    // deleted by the test itself
                }
            }
        }
    }
}
