package io.dynamicindex.server.publish;

import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ReturnListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

import io.dynamicindex.common.MessageHeaders;
import io.dynamicindex.server.config.QueueServerProperties;

/**
 * Publishes one request's messages on one pooled channel (Spring's channel cache, channels in confirm mode), then
 * waits until the broker has confirmed them all. Messages are persistent and mandatory: a message the broker cannot
 * route comes back as a return and fails the request, just like a nack or a confirm timeout. Many requests publish
 * at once, each on its own channel. Messages are published with the client's own properties, so that each carries
 * exactly the headers of the message contract and no framework header the broker would store with every message.
 */
@Component
public class ConfirmedPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ConfirmedPublisher.class);
    private static final int PERSISTENT = 2;

    private final RabbitTemplate template;
    private final long confirmTimeoutMillis;
    private final AtomicBoolean brokerDown = new AtomicBoolean();
    private final MeterRegistry meters;

    public ConfirmedPublisher(ConnectionFactory connectionFactory, QueueServerProperties properties,
                              MeterRegistry meters) {
        this.template = new RabbitTemplate(connectionFactory);
        this.confirmTimeoutMillis = properties.confirmTimeout().toMillis();
        this.meters = meters;
    }

    /**
     * Publishes the bodies to the queue and returns once all are confirmed.
     *
     * @throws BrokerUnavailableException when any message is not confirmed; some may have been published
     */
    public void publish(String queue, List<byte[]> bodies, String partner, String requestId) {
        Timer.Sample sample = Timer.start(meters);
        try {
            int returned = template.execute(channel -> publishAndConfirm(channel, queue, bodies, partner, requestId));
            if (returned > 0) {
                throw new AmqpIOException(new IOException(returned + " message(s) could not be routed to queue "
                        + queue + " (does it exist?)"));
            }
            markUp();
        } catch (AmqpException e) {
            markDown(e);
            throw new BrokerUnavailableException("broker did not confirm " + bodies.size() + " message(s) for "
                    + queue + ": " + e.getMessage(), e);
        } finally {
            sample.stop(meters.timer("dynamicindex.server.publish.confirm", "queue", queue));
        }
    }

    /**
     * Publishes mandatory and waits for the confirms; returns how many messages came back unroutable. The broker
     * sends a message's return before its confirm, and the client hands both over in that order, so once every
     * confirm is in, every return has been counted.
     */
    private int publishAndConfirm(Channel channel, String queue, List<byte[]> bodies, String partner,
                                  String requestId) throws IOException, InterruptedException, TimeoutException {
        AtomicInteger returned = new AtomicInteger();
        ReturnListener listener = channel.addReturnListener(unroutable -> returned.incrementAndGet());
        try {
            Date now = new Date();
            Map<String, Object> headers = Map.of(MessageHeaders.PARTNER, partner, MessageHeaders.REQUEST_ID,
                    requestId);
            for (byte[] body : bodies) {
                channel.basicPublish("", queue, true, properties(now, headers), body);
            }
            channel.waitForConfirmsOrDie(confirmTimeoutMillis);
            return returned.get();
        } finally {
            channel.removeReturnListener(listener);
        }
    }

    private static AMQP.BasicProperties properties(Date now, Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(PERSISTENT)
                .messageId(UUID.randomUUID().toString())
                .timestamp(now)
                .headers(headers)
                .build();
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
