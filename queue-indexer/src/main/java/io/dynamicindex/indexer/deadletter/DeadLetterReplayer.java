package io.dynamicindex.indexer.deadletter;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ReturnListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.dynamicindex.indexer.deadletter.DeadLetterStore.Claimed;
import io.dynamicindex.indexer.deadletter.DeadLetterStore.Selection;

/**
 * Replays dead letters: publishes each original message back to its queue, persistent and mandatory, waits for the
 * broker's confirms, and only then marks the letters replayed, in pages, each page in one transaction that holds the
 * letters' row locks. Two replays at once therefore never publish one letter twice; a queue that does not exist is
 * refused before anything is published; a publish that is not confirmed, or comes back unroutable, rolls the page
 * back, so its letters stay unreplayed.
 */
@Component
public class DeadLetterReplayer {

    /** The queue a letter belongs to does not exist on the broker; nothing of the page was published. */
    public static final class MissingQueueException extends RuntimeException {
        MissingQueueException(String queue) {
            super("queue '" + queue + "' does not exist on the broker; nothing was replayed to it. Create the queue "
                    + "(or start the indexer that consumes it) and replay again");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplayer.class);
    private static final int PAGE = 100;
    private static final long CONFIRM_TIMEOUT_MILLIS = 10_000;
    private static final int PERSISTENT = 2;

    private final DeadLetterStore store;
    private final TransactionTemplate transactions;
    private final RabbitTemplate rabbit;

    public DeadLetterReplayer(DeadLetterStore store, TransactionTemplate transactions,
                              ConnectionFactory connectionFactory) {
        this.store = store;
        this.transactions = transactions;
        this.rabbit = new RabbitTemplate(connectionFactory);
    }

    /** Replays up to limit unreplayed letters of the selection; returns how many were replayed. */
    public int replay(Selection selection, int limit) {
        int replayed = 0;
        while (replayed < limit) {
            int page = Math.min(PAGE, limit - replayed);
            Integer done = transactions.execute(status -> publish(store.claimForReplay(selection, page)));
            if (done == null || done == 0) {
                break;
            }
            replayed += done;
        }
        return replayed;
    }

    /** Replays one letter; empty when it does not exist, is replayed already or is being replayed. */
    public Optional<String> replay(long id) {
        return Optional.ofNullable(transactions.execute(status -> store.claimForReplay(id)
                .map(letter -> {
                    publish(List.of(letter));
                    return letter.queue();
                }).orElse(null)));
    }

    private int publish(List<Claimed> letters) {
        if (letters.isEmpty()) {
            return 0;
        }
        Set<String> queues = new LinkedHashSet<>();
        letters.forEach(letter -> queues.add(letter.queue()));
        queues.forEach(this::requireQueue);
        int returned = rabbit.execute(channel -> publishAndConfirm(channel, letters));
        if (returned > 0) {
            throw new AmqpIOException(new IOException(returned + " replayed message(s) could not be routed"));
        }
        store.markReplayed(letters.stream().map(Claimed::id).toList());
        LOG.info("replayed {} dead letter(s) to {}", letters.size(), queues);
        return letters.size();
    }

    private void requireQueue(String queue) {
        boolean exists = Boolean.TRUE.equals(rabbit.execute(channel -> {
            try {
                channel.queueDeclarePassive(queue);
                return true;
            } catch (IOException missing) {
                return false;
            }
        }));
        if (!exists) {
            throw new MissingQueueException(queue);
        }
    }

    private static int publishAndConfirm(Channel channel, List<Claimed> letters)
            throws IOException, InterruptedException, TimeoutException {
        AtomicInteger returned = new AtomicInteger();
        ReturnListener listener = channel.addReturnListener(unroutable -> returned.incrementAndGet());
        try {
            for (Claimed letter : letters) {
                channel.basicPublish("", letter.queue(), true, new AMQP.BasicProperties.Builder()
                        .contentType("application/json").deliveryMode(PERSISTENT)
                        .headers(Map.of("x-replayed-dead-letter", letter.id())).build(), letter.message());
            }
            channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
            return returned.get();
        } finally {
            channel.removeReturnListener(listener);
        }
    }
}
