package io.dynamicindex.server.publish;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

import io.dynamicindex.common.MessageHeaders;
import io.dynamicindex.server.config.QueueServerProperties;

/**
 * Publishes one request's messages on one pooled channel, then waits until the broker has confirmed them all.
 * Messages are persistent and mandatory: a message the broker cannot route comes back as a return and fails the
 * request, just like a nack or a confirm timeout. Many requests publish at once, each on its own channel.
 */
@Component
public class ConfirmedPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ConfirmedPublisher.class);

    private final RabbitTemplate template;
    private final long confirmTimeoutMillis;
    private final Set<String> returnedMessageIds = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean brokerDown = new AtomicBoolean();
    private final MeterRegistry meters;

    public ConfirmedPublisher(ConnectionFactory connectionFactory, QueueServerProperties properties,
                              MeterRegistry meters) {
        this.template = new RabbitTemplate(connectionFactory);
        this.template.setMandatory(true);
        this.template.setReturnsCallback(returned -> returnedMessageIds.add(
                returned.getMessage().getMessageProperties().getMessageId()));
        this.confirmTimeoutMillis = properties.confirmTimeout().toMillis();
        this.meters = meters;
    }

    /**
     * Publishes the bodies to the queue and returns once all are confirmed.
     *
     * @throws BrokerUnavailableException when any message is not confirmed; some may have been published
     */
    public void publish(String queue, List<byte[]> bodies, String partner, String requestId) {
        List<Message> messages = toMessages(bodies, partner, requestId);
        Timer.Sample sample = Timer.start(meters);
        try {
            template.invoke(operations -> {
                for (Message message : messages) {
                    operations.send("", queue, message);
                }
                operations.waitForConfirmsOrDie(confirmTimeoutMillis);
                return null;
            });
            failIfReturned(queue, messages);
            markUp();
        } catch (AmqpException e) {
            markDown(e);
            throw new BrokerUnavailableException("broker did not confirm " + messages.size() + " message(s) for "
                    + queue + ": " + e.getMessage(), e);
        } finally {
            sample.stop(meters.timer("dynamicindex.server.publish.confirm", "queue", queue));
        }
    }

    private List<Message> toMessages(List<byte[]> bodies, String partner, String requestId) {
        Date now = new Date();
        List<Message> messages = new ArrayList<>(bodies.size());
        for (byte[] body : bodies) {
            messages.add(MessageBuilder.withBody(body)
                    .setContentType("application/json")
                    .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                    .setMessageId(UUID.randomUUID().toString())
                    .setTimestamp(now)
                    .setHeader(MessageHeaders.PARTNER, partner)
                    .setHeader(MessageHeaders.REQUEST_ID, requestId)
                    .build());
        }
        return messages;
    }

    /** Returns reach the callback before the confirm of the same message, so all are known by now. */
    private void failIfReturned(String queue, List<Message> messages) {
        int returned = 0;
        for (Message message : messages) {
            if (returnedMessageIds.remove(message.getMessageProperties().getMessageId())) {
                returned++;
            }
        }
        if (returned > 0) {
            throw new org.springframework.amqp.AmqpIOException(new java.io.IOException(
                    returned + " message(s) could not be routed to queue " + queue + " (does it exist?)"));
        }
    }

    private void markDown(AmqpException e) {
        if (brokerDown.compareAndSet(false, true)) {
            LOG.warn("broker unavailable, answering 503 until it confirms again: {}", e.getMessage());
        }
    }

    private void markUp() {
        if (brokerDown.compareAndSet(true, false)) {
            LOG.info("broker confirms again");
        }
    }
}
