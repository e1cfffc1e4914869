package io.dynamicindex.server.publish;

import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ReturnListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.AmqpTimeoutException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.dynamicindex.common.MessageHeaders;
import io.dynamicindex.server.config.QueueServerProperties;
import io.dynamicindex.server.publish.BrokerUnavailableException.Cause;

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
    private static final long CONFIRM_SLICE_MILLIS = 100;
    /** Time beyond the confirm timeout for taking a channel and writing the messages. */
    private static final long DEADLINE_SLACK_MILLIS = 1_000;

    private final RabbitTemplate template;
    private final long confirmTimeoutMillis;
    private final AtomicBoolean brokerDown = new AtomicBoolean();
    private final BrokerAlarm alarm;
    private final MeterRegistry meters;
    private final PublishThreads threads;

    public ConfirmedPublisher(ConnectionFactory connectionFactory, QueueServerProperties properties,
                              BrokerAlarm alarm, MeterRegistry meters,
                              @Value("${spring.rabbitmq.cache.channel.size:64}") int channels) {
        this.template = new RabbitTemplate(connectionFactory);
        this.confirmTimeoutMillis = properties.confirmTimeout().toMillis();
        this.alarm = alarm;
        this.meters = meters;
        this.threads = new PublishThreads(channels);
    }

    @PreDestroy
    void stop() {
        threads.close();
    }

    /**
     * Publishes the bodies to the queue and returns once all are confirmed.
     *
     * @param changes        how many changes the bodies carry together: as many as there are bodies, or all of them
     *                       in one envelope; each body's {@code x-changes} header says how many it carries
     * @param idempotencyKey the partner's key for this request, or null: it becomes each message's AMQP message-id
     *                       (with the message's position appended when the request has several)
     * @throws BrokerUnavailableException when any message is not confirmed; some may have been published
     */
    public void publish(String queue, List<byte[]> bodies, int changes, String partner, String requestId,
                        String idempotencyKey) {
        Timer.Sample sample = Timer.start(meters);
        try {
            alarm.current().ifPresent(reason -> {
                throw new BrokerUnavailableException(Cause.ALARM, "the broker blocks publishing: " + reason, null);
            });
            MessageIds ids = new MessageIds(partner, requestId, idempotencyKey, bodies.size(),
                    changes / bodies.size());
            int returned = threads.call(() -> template.execute(channel -> publishAndConfirm(channel, queue, bodies,
                    ids)), confirmTimeoutMillis + DEADLINE_SLACK_MILLIS);
            if (returned > 0) {
                throw new BrokerUnavailableException(Cause.UNROUTABLE, returned + " message(s) could not be routed "
                        + "to queue " + queue + " (does it exist on the broker?)", null);
            }
            markUp();
        } catch (BrokerUnavailableException e) {
            markDown(e);
            throw e;
        } catch (AmqpException e) {
            BrokerUnavailableException refusal = e.getCause() instanceof BrokerUnavailableException cause ? cause
                    : new BrokerUnavailableException(causeOf(e), "broker did not confirm " + bodies.size()
                            + " message(s) for " + queue + ": " + e.getMessage(), e);
            markDown(refusal);
            throw refusal;
        } finally {
            sample.stop(meters.timer("dynamicindex.server.publish.confirm", "queue", queue));
        }
    }

    private static Cause causeOf(AmqpException e) {
        return e instanceof AmqpTimeoutException || e.getCause() instanceof TimeoutException ? Cause.TIMEOUT
                : Cause.UNAVAILABLE;
    }

    /** The headers and message ids of one request's messages. */
    private record MessageIds(String partner, String requestId, String idempotencyKey, int count,
                              int changesPerBody) {

        Map<String, Object> headers() {
            return Map.of(MessageHeaders.PARTNER, partner, MessageHeaders.REQUEST_ID, requestId,
                    MessageHeaders.CHANGES, changesPerBody);
        }

        String messageId(int index) {
            if (idempotencyKey == null) {
                return UUID.randomUUID().toString();
            }
            return count == 1 ? idempotencyKey : idempotencyKey + ":" + index;
        }
    }

    /**
     * Publishes mandatory and waits for the confirms; returns how many messages came back unroutable. The broker
     * sends a message's return before its confirm, and the client hands both over in that order, so once every
     * confirm is in, every return has been counted. The wait ends early when the broker blocks the connection for an
     * alarm: its confirms would only come once the alarm clears.
     */
    private int publishAndConfirm(Channel channel, String queue, List<byte[]> bodies, MessageIds ids)
            throws IOException, InterruptedException, TimeoutException {
        AtomicInteger returned = new AtomicInteger();
        ReturnListener listener = channel.addReturnListener(unroutable -> returned.incrementAndGet());
        try {
            Date now = new Date();
            Map<String, Object> headers = ids.headers();
            for (int i = 0; i < bodies.size(); i++) {
                channel.basicPublish("", queue, true, properties(now, headers, ids.messageId(i)), bodies.get(i));
            }
            awaitConfirms(channel);
            return returned.get();
        } finally {
            channel.removeReturnListener(listener);
        }
    }

    private void awaitConfirms(Channel channel) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(confirmTimeoutMillis);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                if (!channel.waitForConfirms(Math.max(1, Math.min(left, CONFIRM_SLICE_MILLIS)))) {
                    throw new BrokerUnavailableException(Cause.UNAVAILABLE, "the broker refused (nack) a message",
                            null);
                }
                return;
            } catch (TimeoutException e) {
                Optional<String> blocked = alarm.current();
                if (blocked.isPresent()) {
                    throw new BrokerUnavailableException(Cause.ALARM, "the broker blocks publishing: "
                            + blocked.get(), e);
                }
                if (left <= CONFIRM_SLICE_MILLIS) {
                    throw e;
                }
            }
        }
    }

    private static AMQP.BasicProperties properties(Date now, Map<String, Object> headers, String messageId) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(PERSISTENT)
                .messageId(messageId)
                .timestamp(now)
                .headers(headers)
                .build();
    }

    private void markDown(BrokerUnavailableException e) {
        if (brokerDown.compareAndSet(false, true)) {
            LOG.warn("broker unavailable ({}), answering 503 until it confirms again: {}", e.cause().label(),
                    e.getMessage());
        }
    }

    private void markUp() {
        if (brokerDown.compareAndSet(true, false)) {
            LOG.info("broker confirms again");
        }
    }
}
