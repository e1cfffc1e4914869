package io.dynamicindex.scheduler.move;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Moves messages of one route: on each call, min(N, available) messages from the source queue to the target
 * queue, bytes and properties unchanged (see {@link Transfer} for how). A fresh channel pair per call keeps calls
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

    public RouteMover(BrokerConnection sourceBroker, BrokerConnection targetBroker, String sourceQueue,
                      String targetQueue, MoveLimits limits) {
        this.sourceBroker = sourceBroker;
        this.targetBroker = targetBroker;
        this.sourceQueue = sourceQueue;
        this.targetQueue = targetQueue;
        this.limits = limits;
    }

    /**
     * Moves up to messagesPerTick messages, as many as the source holds now.
     *
     * @param budget        how long the call may take messages from the source; it then still waits for the last
     *                      window's confirms, up to the fence
     * @param fenceDeadline {@link System#nanoTime()} by which the call ends whatever happens (the tick's lease):
     *                      nothing is acknowledged after it
     * @throws MoveFailedException when a broker failed, the target is missing, blocks publishing, or refused,
     *                             returned or did not confirm a message in time, or the fence was reached
     */
    public MoveResult move(int messagesPerTick, Duration budget, long fenceDeadline) throws MoveFailedException {
        long deadline = System.nanoTime() + budget.toNanos();
        Fence fence = new Fence(fenceDeadline, targetBroker::blocked);
        Channel source = null;
        Channel target = null;
        Transfer transfer = null;
        try {
            target = targetBroker.openChannel();
            target.queueDeclarePassive(targetQueue);
            fence.check(targetQueue);
            source = sourceBroker.openChannel();
            long available = source.queueDeclarePassive(sourceQueue).getMessageCount();
            int wanted = (int) Math.min(messagesPerTick, available);
            if (wanted > 0) {
                transfer = new Transfer(source, target, sourceQueue, targetQueue, limits, wanted, deadline, fence);
                transfer.run();
            }
            int moved = transfer == null ? 0 : transfer.moved();
            return new MoveResult(moved, new QueueDepths(depth(source, sourceQueue), depth(target, targetQueue)));
        } catch (IOException | TimeoutException | RuntimeException e) {
            throw failed(transfer, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(transfer, e);
        } finally {
            closeQuietly(source);
            closeQuietly(target);
        }
    }

    /** Both queues' depths, for ticks that move nothing (paused, or another instance holds the route). */
    public QueueDepths depths() {
        return new QueueDepths(depth(sourceBroker, sourceQueue), depth(targetBroker, targetQueue));
    }

    private static MoveFailedException failed(Transfer transfer, Exception cause) {
        if (transfer == null) {
            return new MoveFailedException(0, cause);
        }
        transfer.requeueUnacknowledged();
        return new MoveFailedException(transfer.moved(), cause);
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
