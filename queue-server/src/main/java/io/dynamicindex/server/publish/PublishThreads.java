package io.dynamicindex.server.publish;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamicindex.server.publish.BrokerUnavailableException.Cause;

/**
 * The threads publishes run on ({@code server-publish-<n>}), at most as many as there are publishing channels. A
 * request thread hands its publish over and waits at most the deadline, so a write the broker does not read (a
 * resource alarm raised mid-request, a stalled socket) holds a publishing thread for a while, never a request thread;
 * when every publishing thread is held, requests are refused at once. Owns its threads and stops them on close.
 */
final class PublishThreads implements AutoCloseable {

    private final ThreadPoolExecutor pool;

    PublishThreads(int threads) {
        AtomicInteger number = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "server-publish-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs the publish and returns its result within the deadline.
     *
     * @throws BrokerUnavailableException (timeout) when it did not end in time or no publishing thread was free
     * @throws RuntimeException           whatever the publish threw
     */
    <T> T call(Callable<T> publish, long deadlineMillis) {
        Future<T> result;
        try {
            result = pool.submit(publish);
        } catch (RejectedExecutionException e) {
            throw new BrokerUnavailableException(Cause.TIMEOUT, "every publishing thread is waiting for the broker",
                    e);
        }
        try {
            return result.get(deadlineMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new BrokerUnavailableException(Cause.TIMEOUT, "the broker did not take and confirm the messages "
                    + "within " + deadlineMillis + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("publish failed", e.getCause());
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException(Cause.TIMEOUT, "interrupted while waiting for the broker", e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
