package io.dynamicindex.scheduler.move;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;

import io.dynamicindex.scheduler.config.Route;

/**
 * Moves up to N messages of one route per call. It consumes from the source with a prefetch window, publishes each
 * delivery to the target unchanged (mandatory, with publisher confirms), and after each window is confirmed acks
 * the source with one multiple-ack. Anything not yet confirmed is never acknowledged: when the tick fails, closing
 * the source channel returns those messages to the source queue.
 */
final class RouteMover {

    private final Route route;
    private final BrokerConnection sourceBroker;
    private final BrokerConnection targetBroker;
    private final int window;
    private final long confirmTimeoutMillis;
    private final long receiveTimeoutMillis;

    RouteMover(Route route, BrokerConnection sourceBroker, BrokerConnection targetBroker, int window,
               Duration confirmTimeout, Duration receiveTimeout) {
        this.route = route;
        this.sourceBroker = sourceBroker;
        this.targetBroker = targetBroker;
        this.window = window;
        this.confirmTimeoutMillis = confirmTimeout.toMillis();
        this.receiveTimeoutMillis = receiveTimeout.toMillis();
    }

    /** Moves min(N, available) messages and returns how many were confirmed on the target and acked. */
    int moveOnce(MoveProgress progress) throws IOException, TimeoutException, InterruptedException {
        try (Channel source = sourceBroker.openChannel(); Channel target = targetBroker.openChannel()) {
            long available = source.queueDeclarePassive(route.source()).getMessageCount();
            int wanted = (int) Math.min(route.messagesPerTick(), available);
            if (wanted == 0) {
                return 0;
            }
            AtomicBoolean returned = new AtomicBoolean();
            target.confirmSelect();
            target.addReturnListener(unroutable -> returned.set(true));
            source.basicQos(Math.min(wanted, window));
            BlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
            source.basicConsume(route.source(), false, (tag, delivery) -> inbox.add(delivery), tag -> { });
            return transfer(source, target, inbox, wanted, returned, progress);
        }
    }

    private int transfer(Channel source, Channel target, BlockingQueue<Delivery> inbox, int wanted,
                         AtomicBoolean returned, MoveProgress progress)
            throws IOException, TimeoutException, InterruptedException {
        int unconfirmed = 0;
        long lastTag = 0;
        while (progress.moved() + unconfirmed < wanted) {
            Delivery delivery = inbox.poll(receiveTimeoutMillis, TimeUnit.MILLISECONDS);
            if (delivery == null) {
                break;
            }
            target.basicPublish("", route.target(), true, delivery.getProperties(), delivery.getBody());
            lastTag = delivery.getEnvelope().getDeliveryTag();
            if (++unconfirmed == window) {
                confirmAndAck(source, target, lastTag, returned);
                progress.add(unconfirmed);
                unconfirmed = 0;
            }
        }
        if (unconfirmed > 0) {
            confirmAndAck(source, target, lastTag, returned);
            progress.add(unconfirmed);
        }
        return progress.moved();
    }

    private void confirmAndAck(Channel source, Channel target, long lastTag, AtomicBoolean returned)
            throws IOException, TimeoutException, InterruptedException {
        target.waitForConfirmsOrDie(confirmTimeoutMillis);
        if (returned.get()) {
            throw new IOException("target queue " + route.target() + " refused messages as unroutable "
                    + "(does it exist?); the unconfirmed window stays in " + route.source());
        }
        source.basicAck(lastTag, true);
    }

    /** Messages confirmed and acked so far in one tick; survives a failure half-way. */
    static final class MoveProgress {
        private int moved;

        int moved() {
            return moved;
        }

        void add(int count) {
            moved += count;
        }
    }
}
