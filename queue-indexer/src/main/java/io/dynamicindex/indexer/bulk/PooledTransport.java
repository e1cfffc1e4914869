package io.dynamicindex.indexer.bulk;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends every bulk through one bounded thread pool ({@code indexer-bulk-<n>}), so that at most max-pool-size bulks
 * are in flight across all queues and at most queue-capacity wait; a worker that finds both full blocks until there
 * is room. Owns the pool and shuts it down on close.
 */
public final class PooledTransport implements BulkTransport, AutoCloseable {

    private final BulkTransport delegate;
    private final ThreadPoolExecutor pool;

    public PooledTransport(BulkTransport delegate, int corePoolSize, int maxPoolSize, int queueCapacity) {
        this.delegate = delegate;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(corePoolSize, maxPoolSize, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity),
                runnable -> new Thread(runnable, "indexer-bulk-" + threads.incrementAndGet()),
                PooledTransport::waitForRoom);
    }

    @Override
    public Response send(byte[] ndjson) throws IOException {
        return await(pool.submit(() -> delegate.send(ndjson)));
    }

    @Override
    public Response sendAnsweringVersions(byte[] ndjson) throws IOException {
        return await(pool.submit(() -> delegate.sendAnsweringVersions(ndjson)));
    }

    private static Response await(Future<Response> response) throws IOException {
        try {
            return response.get();
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the bulk was in flight", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("bulk request failed", e.getCause());
        }
    }

    private static void waitForRoom(Runnable task, ThreadPoolExecutor executor) {
        if (executor.isShutdown()) {
            throw new RejectedExecutionException("the bulk pool is shut down");
        }
        try {
            executor.getQueue().put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for room in the bulk pool", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }
}
