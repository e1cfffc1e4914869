package io.dynamicindex.outbox.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ReturnListener;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import io.dynamicindex.common.MessageHeaders;

/**
 * Publishes a batch of outbox rows on one channel in confirm mode, persistent and mandatory, in id order, and
 * returns once the broker confirmed them all; as the queue server's {@code ConfirmedPublisher} does, a nack, a
 * return (unroutable) or a missing confirm fails the whole batch. Each message has the queue server's form for a
 * single change (the change's JSON object as body, {@code x-partner}, {@code x-request-id}, {@code x-changes=1}),
 * {@code message-id} {@code outbox-<id>}, the header {@code x-outbox-id}, {@code x-possible-duplicate} on a re-send,
 * and the instance's id as {@code app-id} (a property, not a header, so it costs the broker nearly nothing).
 *
 * <p>Before each message the batch's deadline is checked: a relay that was paused (a long GC, SIGSTOP) past it
 * publishes nothing more; its transaction has been ended by PostgreSQL by then, so another instance may be
 * publishing. So is the broker's {@code connection.blocked} ({@link BrokerBlock}): a blocked connection is not read
 * by the broker, so nothing more is written to it, and the confirm wait gives up as soon as the block is known
 * rather than at the deadline. A write is bounded too (the connection's NIO write queue refuses a frame after the
 * confirm timeout, see {@code OutboxConfiguration}). A channel that failed is closed, never reused with confirms
 * outstanding; what was already written to a blocked connection stays in its buffers and reaches the broker, ahead
 * of anything this instance writes later on the same connection, when the alarm clears.
 */
public class RowPublisher {

    private static final int PERSISTENT = 2;
    private static final long CONFIRM_SLICE_MILLIS = 100;

    private final RabbitTemplate template;
    private final String appId;
    private final BrokerBlock block;

    public RowPublisher(ConnectionFactory connectionFactory, String instance, BrokerBlock block) {
        this.template = new RabbitTemplate(connectionFactory);
        this.appId = instance;
        this.block = block;
    }

    /**
     * Publishes the rows and waits for their confirms until the deadline.
     *
     * @param duplicateThrough rows with an id up to this one are marked {@code x-possible-duplicate}
     * @param deadlineNanos    {@link System#nanoTime()} after which nothing more is published or waited for
     * @throws PublishFailedException when any row is not confirmed
     */
    public void publish(List<OutboxRow> rows, long duplicateThrough, long deadlineNanos) {
        try {
            int returned = template.execute(channel -> publishAndConfirm(channel, rows, duplicateThrough,
                    deadlineNanos));
            if (returned > 0) {
                throw new PublishFailedException(returned + " message(s) could not be routed (does the queue "
                        + "exist on the broker?)", null);
            }
        } catch (AmqpException e) {
            Optional<String> blocked = block.current();
            if (blocked.isPresent()) {
                throw new PublishFailedException(BrokerBlock.describe(blocked.get()), e);
            }
            throw new PublishFailedException("the broker did not confirm " + rows.size() + " message(s): "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    private int publishAndConfirm(Channel channel, List<OutboxRow> rows, long duplicateThrough, long deadlineNanos)
            throws IOException, InterruptedException, TimeoutException {
        AtomicInteger returned = new AtomicInteger();
        ReturnListener listener = channel.addReturnListener(unroutable -> returned.incrementAndGet());
        boolean confirmed = false;
        try {
            Date now = new Date();
            for (OutboxRow row : rows) {
                requireBefore(deadlineNanos, "publishing");
                requireUnblocked();
                channel.basicPublish("", row.queue(), true, properties(row, now, row.id() <= duplicateThrough),
                        row.payload().getBytes(StandardCharsets.UTF_8));
            }
            awaitConfirms(channel, deadlineNanos);
            confirmed = true;
            return returned.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        } finally {
            channel.removeReturnListener(listener);
            if (!confirmed) {
                RabbitUtils.setPhysicalCloseRequired(channel, true);
            }
        }
    }

    /** Waits for the confirms in slices, until the deadline or until the broker blocks the connection. */
    private void awaitConfirms(Channel channel, long deadlineNanos) throws InterruptedException, TimeoutException,
            IOException {
        while (true) {
            requireUnblocked();
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            try {
                if (!channel.waitForConfirms(Math.max(1, Math.min(left, CONFIRM_SLICE_MILLIS)))) {
                    throw new IllegalStateException("the broker refused (nack) a message");
                }
                return;
            } catch (TimeoutException e) {
                if (left <= CONFIRM_SLICE_MILLIS) {
                    throw e;
                }
            }
        }
    }

    private void requireUnblocked() throws IOException {
        Optional<String> blocked = block.current();
        if (blocked.isPresent()) {
            throw new IOException(BrokerBlock.describe(blocked.get()) + "; nothing more is published");
        }
    }

    private static void requireBefore(long deadlineNanos, String what) throws TimeoutException {
        if (System.nanoTime() - deadlineNanos >= 0) {
            throw new TimeoutException("the batch passed its deadline while " + what + "; nothing more is published");
        }
    }

    private AMQP.BasicProperties properties(OutboxRow row, Date now, boolean possibleDuplicate) {
        Map<String, Object> headers = new HashMap<>(8);
        headers.put(MessageHeaders.PARTNER, row.partner() == null ? "outbox" : row.partner());
        headers.put(MessageHeaders.REQUEST_ID, "outbox-" + row.id());
        headers.put(MessageHeaders.CHANGES, 1);
        headers.put(OutboxHeaders.OUTBOX_ID, row.id());
        if (possibleDuplicate) {
            headers.put(OutboxHeaders.POSSIBLE_DUPLICATE, true);
        }
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(PERSISTENT)
                .messageId("outbox-" + row.id())
                .appId(appId)
                .timestamp(now)
                .headers(headers)
                .build();
    }
}
