package io.dynamicindex.scheduler.move;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Moves messages of one route: on each call, up to N changes from the source queue to the target queue, whole
 * messages with their bytes and properties unchanged (see {@link Transfer} for how). It remembers the largest
 * message it has seen, so that a step never takes many more changes than are left. A fresh channel pair per call keeps calls
 * independent: whatever a failed call had not acknowledged goes back to the source, by an explicit nack with
 * requeue and, should that not reach the broker, by closing the channel. Not thread-safe: one route's ticks call
 * it one at a time.
 */
public final class RouteMover {

    private final BrokerConnection sourceBroker;
    private final BrokerConnection targetBroker;
    private final String sourceQueue;
    private final String targetQueue;
    private final MoveLimits limits;
    private int largestSeen;

    public RouteMover(BrokerConnection sourceBroker, BrokerConnection targetBroker, String sourceQueue,
                      String targetQueue, MoveLimits limits) {
        this.sourceBroker = sourceBroker;
        this.targetBroker = targetBroker;
        this.sourceQueue = sourceQueue;
        this.targetQueue = targetQueue;
        this.limits = limits;
    }

    /**
     * Moves up to {@code changes} changes ({@link ChangeCount}: an envelope counts its changes), as many as the
     * source holds now, in whole messages: a message larger than what is left moves whole, and the caller takes the
     * excess from the next tick. Each step asks for the messages that fit what is left at the largest message seen
     * (one while none has been seen) and stops publishing once the changes are reached, so a tick overshoots by less
     * than one message; what its consumer had already taken beyond goes back to the source (nack with requeue),
     * which happens only while messages grow larger than any seen before. Single-change traffic takes one step,
     * mixed envelopes a few.
     *
     * @param budget        how long the call may take messages from the source; it then still waits for the last
     *                      window's confirms, up to the fence
     * @param fenceDeadline {@link System#nanoTime()} by which the call ends whatever happens (the tick's lease):
     *                      nothing is acknowledged after it
     * @throws MoveFailedException when a broker failed, the target is missing, blocks publishing, or refused,
     *                             returned or did not confirm a message in time, or the fence was reached
     */
    public MoveResult move(long changes, Duration budget, long fenceDeadline) throws MoveFailedException {
        long deadline = System.nanoTime() + budget.toNanos();
        Fence fence = new Fence(fenceDeadline, targetBroker::blocked);
        long moved = 0;
        int messages = 0;
        while (moved < changes && System.nanoTime() - deadline < 0) {
            Transfer step = step(changes - moved, deadline, fence, moved);
            if (step == null) {
                break;
            }
            moved += step.movedChanges();
            messages += step.moved();
            if (step.moved() < step.wanted()) {
                break;
            }
        }
        return new MoveResult((int) moved, messages, depths());
    }

    /** One transfer on a fresh channel pair, or null when the source is empty. */
    private Transfer step(long changesLeft, long deadline, Fence fence, long movedBefore)
            throws MoveFailedException {
        Channel source = null;
        Channel target = null;
        Transfer transfer = null;
        try {
            target = targetBroker.openChannel();
            target.queueDeclarePassive(targetQueue);
            fence.check(targetQueue);
            source = sourceBroker.openChannel();
            long available = source.queueDeclarePassive(sourceQueue).getMessageCount();
            long fits = largestSeen == 0 ? 1 : Math.max(1, changesLeft / largestSeen);
            int wanted = (int) Math.min(Math.min(fits, available), Integer.MAX_VALUE);
            if (wanted == 0) {
                return null;
            }
            transfer = new Transfer(source, target, sourceQueue, targetQueue, limits, wanted, changesLeft, deadline,
                    fence);
            transfer.run();
            largestSeen = Math.max(largestSeen, transfer.largest());
            return transfer;
        } catch (IOException | TimeoutException | RuntimeException e) {
            throw failed(transfer, movedBefore, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(transfer, movedBefore, e);
        } finally {
            closeQuietly(source);
            closeQuietly(target);
        }
    }

    /** Both queues' depths, for ticks that move nothing (paused, or another instance holds the route). */
    public QueueDepths depths() {
        return new QueueDepths(depth(sourceBroker, sourceQueue), depth(targetBroker, targetQueue));
    }

    private static MoveFailedException failed(Transfer transfer, long movedBefore, Exception cause) {
        if (transfer == null) {
            return new MoveFailedException((int) movedBefore, cause);
        }
        transfer.requeueUnacknowledged();
        return new MoveFailedException((int) (movedBefore + transfer.movedChanges()), cause);
    }

    private static long depth(Channel channel, String queue) throws IOException {
        return channel.queueDeclarePassive(queue).getMessageCount();
    }

    private static Long depth(BrokerConnection broker, String queue) {
        Channel channel = null;
        try {
            channel = broker.openChannel();
            return depth(channel, queue);
        } catch (IOException | TimeoutException | RuntimeException e) {
            return null;
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(Channel channel) {
        if (channel == null || !channel.isOpen()) {
            return;
        }
        try {
            channel.close();
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            // already closing: the broker requeues whatever the channel had not acknowledged
        }
    }
}
