package io.dynamicindex.scheduler.move;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;

/**
 * One tick's move of up to {@code wanted} messages over a fresh channel pair: a sliding pipeline, used by the tick
 * thread only.
 *
 * <p>One consumer takes the source with prefetch p = min(window, wanted). Deliveries are published to the target as
 * they come (mandatory, publisher confirms): consecutive ones joined into one envelope ({@link Pack}) while more are
 * already waiting and the pack has room, a lone one unchanged. Confirms arrive asynchronously; the tick thread then
 * acknowledges the source with one multiple-ack up to the last source message of the last envelope confirmed without
 * a gap, and the broker refills the prefetch. So the pipe never waits for a whole window to be confirmed. Acknowledgements stop at
 * {@code wanted - p} while the consumer runs, so the broker never delivers more than {@code wanted}; once all wanted
 * arrived, the consumer is cancelled and the rest is acknowledged as it is confirmed.
 *
 * <p>Nothing is acknowledged before the target confirmed it. A nack, a returned (unroutable) message, a confirm
 * timeout, a target that blocks publishing (alarm) or the end of the tick's lease ({@link Fence}) fails the tick; the
 * caller then requeues everything not acknowledged. Nothing is published after the budget's deadline; deliveries that
 * arrive later go back to the source. Every wait ends by the fence's deadline, so the tick never outlives its lease.
 */
final class Transfer {

    /** Wake-ups for the tick thread besides deliveries. */
    enum Signal {
        /** The target confirmed, nacked or returned something. */
        CONFIRMS,
        /** The source consumer is gone; no delivery follows. */
        CONSUMER_ENDED
    }

    private final Channel source;
    private final Channel target;
    private final String sourceQueue;
    private final String targetQueue;
    private final MoveLimits limits;
    private final int wanted;
    private final long changeBudget;
    private final int prefetch;
    private final long deadlineNanos;
    private final Fence fence;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final ConcurrentSkipListSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
    private final long[] tagBySequence;
    private final long[] changesBySequence;
    private final long[] messagesBySequence;
    private final Pack pack;
    private final AtomicBoolean refused = new AtomicBoolean();
    private final AtomicBoolean returned = new AtomicBoolean();
    private final AtomicLong highestDelivered = new AtomicLong();
    private InboxConsumer consumer;
    private boolean consumerEnded;
    private long published;
    private long confirmed;
    private long acknowledged;
    private long acknowledgedTag;
    private long publishedMessages;
    private long publishedChanges;
    private long acknowledgedMessages;
    private long acknowledgedChanges;
    private int largest;
    private long lastProgressNanos;

    /**
     * @param wanted       the most messages to take
     * @param changeBudget the most changes to publish: once reached, nothing more is published and what the
     *                     consumer still holds goes back to the source (a message larger than what is left still
     *                     moves whole)
     */
    Transfer(Channel source, Channel target, String sourceQueue, String targetQueue, MoveLimits limits, int wanted,
             long changeBudget, long deadlineNanos, Fence fence) {
        this.changeBudget = changeBudget;
        this.source = source;
        this.target = target;
        this.sourceQueue = sourceQueue;
        this.targetQueue = targetQueue;
        this.limits = limits;
        this.wanted = wanted;
        this.prefetch = Math.min(limits.window(), wanted);
        this.deadlineNanos = deadlineNanos;
        this.fence = fence;
        this.tagBySequence = new long[prefetch];
        this.changesBySequence = new long[prefetch];
        this.messagesBySequence = new long[prefetch];
        this.pack = new Pack(limits.packChanges(), limits.packBytes());
    }

    /** Moves until {@code wanted} moved, the source ran dry or the deadline passed; returns how many moved. */
    int run() throws IOException, TimeoutException, InterruptedException {
        target.confirmSelect();
        target.addConfirmListener((sequence, multiple) -> confirmed(sequence, multiple),
                (sequence, multiple) -> {
                    refused.set(true);
                    events.add(Signal.CONFIRMS);
                });
        target.addReturnListener(unroutable -> returned.set(true));
        source.basicQos(prefetch);
        consumer = new InboxConsumer(source, events, highestDelivered);
        String tag = source.basicConsume(sourceQueue, false, consumer);
        lastProgressNanos = System.nanoTime();
        consume();
        stopConsuming(tag);
        while (acknowledged < published) {
            fence.check(targetQueue);
            events.poll(Math.min(limits.confirmTimeout().toMillis(), fence.millisLeft()), TimeUnit.MILLISECONDS);
            settle(publishedMessages);
        }
        requeueUnacknowledged();
        return moved();
    }

    /** Messages confirmed on the target and acknowledged on the source so far. */
    int moved() {
        return (int) acknowledgedMessages;
    }

    /** The messages this transfer was asked for. */
    int wanted() {
        return wanted;
    }

    /** The changes those messages carry ({@link ChangeCount}). */
    long movedChanges() {
        return acknowledgedChanges;
    }

    /** The most changes one message taken so far carried. */
    int largest() {
        return largest;
    }

    /**
     * Sends every delivery not acknowledged back to the source queue (nack with requeue), after cancelling the
     * consumer so that the broker does not hand them straight back to it.
     */
    void requeueUnacknowledged() {
        if (highestDelivered.get() <= acknowledgedTag || !source.isOpen()) {
            return;
        }
        try {
            if (consumer != null && !consumer.ended()) {
                source.basicCancel(consumer.getConsumerTag());
            }
            source.basicNack(highestDelivered.get(), true, true);
        } catch (IOException | RuntimeException e) {
            // the channel is going down: the broker requeues its unacknowledged deliveries itself
        }
    }

    /**
     * Publishes deliveries as they come and acknowledges as confirms come, until wanted, dry or deadline. A pack is
     * published once it is full or no further delivery is waiting, so joining never waits for a delivery.
     */
    private void consume() throws IOException, TimeoutException, InterruptedException {
        while (takenMessages() < wanted && takenChanges() < changeBudget) {
            fence.check(targetQueue);
            long wait = Math.min(limits.receiveTimeout().toMillis(), millisToDeadline());
            if (wait <= 0) {
                break;
            }
            Object event = events.poll();
            if (event == null) {
                flush();
                event = events.poll(wait, TimeUnit.MILLISECONDS);
            }
            if (event instanceof Delivery delivery) {
                take(delivery);
            } else if (event == Signal.CONSUMER_ENDED) {
                consumerEnded = true;
                break;
            } else if (event == null && publishedMessages - acknowledgedMessages < prefetch) {
                break;
            }
            settle(wanted - prefetch);
        }
        flush();
    }

    /**
     * Cancels the consumer and takes in what it received before the cancel: published while the deadline allows,
     * else left for {@link #requeueUnacknowledged()}. Once cancelled, acknowledgements bring no more deliveries.
     */
    private void stopConsuming(String tag) throws IOException, TimeoutException, InterruptedException {
        if (!consumerEnded && !consumer.ended()) {
            source.basicCancel(tag);
        }
        long until = Math.min(System.nanoTime() + limits.confirmTimeout().toNanos(), fence.deadlineNanos());
        while (!consumerEnded) {
            Object event = events.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                fence.check(targetQueue);
                throw new IOException("the source broker did not end consumer " + tag + " within "
                        + limits.confirmTimeout());
            }
            consumerEnded = event == Signal.CONSUMER_ENDED;
            if (event instanceof Delivery delivery && takenMessages() < wanted && takenChanges() < changeBudget
                    && !pastDeadline()) {
                take(delivery);
            } else {
                flush();
            }
            settle(publishedMessages);
        }
        flush();
    }

    /**
     * Adds the delivery to the pack, publishing the pack before when it does not fit and after when it is full. A
     * pack also ends at the acknowledgement cap ({@code wanted - prefetch} messages): a pack is acknowledged whole, so
     * one that straddled the cap could never be acknowledged while the consumer runs, and the broker, whose prefetch
     * it fills, would deliver nothing more.
     */
    private void take(Delivery delivery) throws IOException {
        int changes = ChangeCount.of(delivery);
        largest = Math.max(largest, changes);
        JsonBody shape = pack.mayJoin(changes) ? JsonBody.of(delivery.getBody()) : JsonBody.NOT_PACKABLE;
        if (!pack.isEmpty() && !pack.fits(shape, changes)) {
            flush();
        }
        pack.add(delivery, shape, changes);
        if (pack.full() || takenMessages() >= wanted || takenMessages() == wanted - prefetch
                || takenChanges() >= changeBudget
                || publishedMessages - acknowledgedMessages + pack.messages() >= prefetch) {
            flush();
        }
    }

    /** Publishes the pack, if it holds anything, as one message. */
    private void flush() throws IOException {
        if (pack.isEmpty()) {
            return;
        }
        long sequence = target.getNextPublishSeqNo();
        if (confirmed == published) {
            lastProgressNanos = System.nanoTime();
        }
        int slot = (int) (sequence % prefetch);
        tagBySequence[slot] = pack.lastTag();
        publishedMessages += pack.messages();
        publishedChanges += pack.changes();
        messagesBySequence[slot] = publishedMessages;
        changesBySequence[slot] = publishedChanges;
        unconfirmed.add(sequence);
        target.basicPublish("", targetQueue, true, pack.properties(), pack.body());
        published = sequence;
        pack.clear();
    }

    /** Messages published or waiting in the pack. */
    private long takenMessages() {
        return publishedMessages + pack.messages();
    }

    /** Changes published or waiting in the pack. */
    private long takenChanges() {
        return publishedChanges + pack.changes();
    }

    /** Confirm listener, on the target connection's thread. */
    private void confirmed(long sequence, boolean multiple) {
        if (multiple) {
            unconfirmed.headSet(sequence, true).clear();
        } else {
            unconfirmed.remove(sequence);
        }
        events.add(Signal.CONFIRMS);
    }

    /**
     * Acknowledges on the source everything the target confirmed without a gap, up to the cap (in source messages,
     * whole envelopes only); fails on a nack, a
     * return or a confirm timeout. The return flag is read after the confirms, and the client signals a return
     * before the confirm of the same message, so a returned message is never acknowledged.
     */
    private void settle(long cap) throws IOException, TimeoutException {
        Long oldest = unconfirmed.ceiling(0L);
        long confirmedNow = oldest == null ? published : oldest - 1;
        if (refused.get() || returned.get()) {
            throw new IOException("target queue " + targetQueue + (refused.get() ? " refused messages (nack; is it "
                    + "full with overflow reject-publish?)" : " returned messages as unroutable (was it deleted?)")
                    + "; everything unconfirmed goes back to " + sourceQueue);
        }
        long now = System.nanoTime();
        if (confirmedNow > confirmed) {
            confirmed = confirmedNow;
            lastProgressNanos = now;
        } else if (published > confirmed && now - lastProgressNanos > limits.confirmTimeout().toNanos()) {
            throw new TimeoutException("target queue " + targetQueue + " confirmed nothing within "
                    + limits.confirmTimeout() + "; everything unconfirmed goes back to " + sourceQueue);
        }
        long upTo = confirmed;
        while (upTo > acknowledged && messagesBySequence[(int) (upTo % prefetch)] > cap) {
            upTo--;
        }
        if (upTo > acknowledged) {
            fence.check(targetQueue);
            int slot = (int) (upTo % prefetch);
            acknowledgedTag = tagBySequence[slot];
            source.basicAck(acknowledgedTag, true);
            acknowledged = upTo;
            acknowledgedMessages = messagesBySequence[slot];
            acknowledgedChanges = changesBySequence[slot];
        }
    }

    private boolean pastDeadline() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    private long millisToDeadline() {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }
}
