package io.dynamicindex.indexer.buffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.archive.ArchiveWriter;
import io.dynamicindex.indexer.bulk.PhasedApplier;
import io.dynamicindex.indexer.bulk.RetryPolicy;
import io.dynamicindex.indexer.consume.AmqpConnection;
import io.dynamicindex.indexer.consume.ChannelAcks;
import io.dynamicindex.indexer.consume.DeliverySink;
import io.dynamicindex.indexer.consume.InboundDelivery;
import io.dynamicindex.indexer.consume.QueueConsumer;
import io.dynamicindex.indexer.deadletter.DeadLetterStore;
import io.dynamicindex.indexer.filter.ChangeGuard;
import io.dynamicindex.indexer.filter.MessageFilter;
import io.dynamicindex.indexer.health.QueueStatus;

/**
 * Everything of one index queue: its consumers, its workers (threads {@code indexer-<queue>-worker-<n>}) and the
 * routing between them. A delivery is parsed on the consumer thread (a pack that cannot be parsed as a whole is split
 * into its elements, each read on its own); each canonical message in it goes to the
 * worker that holds its document while work on it is pending, so one document's changes are applied in arrival
 * order. When a consumer's channel closes, what the workers buffered from it is discarded before its redeliveries
 * arrive. Owns its threads; reports its state in the queue's {@link QueueStatus}.
 */
public final class QueuePipeline implements DeliverySink {

    private static final Logger LOG = LoggerFactory.getLogger(QueuePipeline.class);

    private final String queue;
    private final MessageFilter filter;
    private final JsonMapper json;
    private final List<Worker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<QueueConsumer> consumers = new ArrayList<>();
    private final KeyLedger ledger = new KeyLedger();
    private final InboundDelivery.Meters deliveryMeters;
    private final QueueStatus status;
    private final Counter consumed;
    private final AtomicLong routed = new AtomicLong();
    private final int batchSize;

    /** How the pipeline is built; one per queue. */
    public record Settings(int consumers, int workers, int prefetch, int batchSize, long batchBytes,
                           Duration interval, String filterName) {
    }

    /**
     * What the pipeline works with; shared by all queues but the filter, the guard, the applier, the archive (null
     * when the queue has none) and the status.
     */
    public record Parts(MessageFilter filter, ChangeGuard guard, PhasedApplier applier, ArchiveWriter archive,
                        RetryPolicy retry, QueueStatus status, DeadLetterStore deadLetters,
                        AmqpConnection connection, JsonMapper json, MeterRegistry meters) {
    }

    public QueuePipeline(String queue, Settings settings, Parts parts) {
        this.queue = queue;
        this.filter = parts.filter();
        this.json = parts.json();
        this.status = parts.status();
        this.batchSize = settings.batchSize();
        MeterRegistry meters = parts.meters();
        this.consumed = meters.counter("dynamicindex.indexer.consumed", "queue", queue);
        this.deliveryMeters = new InboundDelivery.Meters(
                meters.counter("dynamicindex.indexer.acknowledged", "queue", queue),
                Timer.builder("dynamicindex.indexer.lag").description("acceptance by the queue server to applied here")
                        .tag("queue", queue).publishPercentiles(0.5, 0.99).register(meters));
        BatchProcessor processor = new BatchProcessor(queue, settings.filterName(), filter, parts.guard(),
                parts.applier(), parts.deadLetters(), parts.archive(), parts.retry(), status, meters);
        Timer batchWait = meters.timer("dynamicindex.indexer.batch.wait", "queue", queue);
        Counter failures = meters.counter("dynamicindex.indexer.worker.failures", "queue", queue);
        Worker.Limits limits = new Worker.Limits(settings.batchSize(), settings.batchBytes(), settings.interval());
        for (int i = 0; i < settings.workers(); i++) {
            Worker worker = new Worker(queue, processor, limits, batchWait, status, failures);
            workers.add(worker);
            threads.add(new Thread(worker, "indexer-" + queue + "-worker-" + (i + 1)));
        }
        for (int i = 0; i < settings.consumers(); i++) {
            consumers.add(new QueueConsumer(queue, i + 1, settings.prefetch(), parts.connection(), this));
        }
        meters.gauge("dynamicindex.indexer.buffer.fill", List.of(Tag.of("queue",
                queue)), workers, list -> list.stream().mapToInt(Worker::size).sum());
    }

    public void start() {
        threads.forEach(Thread::start);
        consumers.forEach(QueueConsumer::start);
        status.started();
    }

    /** Stops consuming, lets workers finish the buffer within the timeout, then interrupts the rest. */
    public void stop(long timeoutMillis) throws InterruptedException {
        consumers.forEach(QueueConsumer::cancel);
        ledger.close();
        workers.forEach(Worker::drainAndStop);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                LOG.warn("{}: {} did not finish within {} ms; its unacknowledged messages will be redelivered",
                        queue, thread.getName(), timeoutMillis);
                thread.interrupt();
            }
        }
        consumers.forEach(QueueConsumer::close);
        status.stopped();
    }

    @Override
    public void closed(ChannelAcks acks) {
        int discarded = workers.stream().mapToInt(worker -> worker.discard(acks)).sum();
        if (discarded > 0) {
            LOG.info("{}: discarded {} buffered message(s) of a closed channel; the broker redelivers them", queue,
                    discarded);
        }
    }

    @Override
    public void accept(ChannelAcks acks, long deliveryTag, long acceptedAtMillis, byte[] body) {
        consumed.increment();
        JsonNode parsed;
        try {
            parsed = json.readTree(body);
        } catch (JacksonException e) {
            List<byte[]> elements = PackSplitter.elements(body);
            if (elements.isEmpty()) {
                InboundDelivery delivery = new InboundDelivery(queue, acks, deliveryTag, 1, acceptedAtMillis,
                        deliveryMeters);
                route(new WorkItem(delivery, null, body, "not valid JSON: " + e.getOriginalMessage(),
                        List.of(), ledger));
            } else {
                LOG.info("{}: a pack of {} element(s) cannot be read as a whole ({}); reading each on its own",
                        queue, elements.size(), e.getOriginalMessage());
                InboundDelivery delivery = new InboundDelivery(queue, acks, deliveryTag, elements.size(),
                        acceptedAtMillis, deliveryMeters);
                elements.forEach(element -> dispatchBytes(delivery, element));
            }
            return;
        }
        if (parsed.isArray() && !parsed.isEmpty()) {
            InboundDelivery delivery = new InboundDelivery(queue, acks, deliveryTag, parsed.size(), acceptedAtMillis,
                    deliveryMeters);
            for (JsonNode element : parsed) {
                dispatch(delivery, element, json.writeValueAsBytes(element));
            }
        } else {
            dispatch(new InboundDelivery(queue, acks, deliveryTag, 1, acceptedAtMillis, deliveryMeters), parsed, body);
        }
    }

    /** One element of a pack that failed as a whole: parsed alone, or dead-lettered alone with its own bytes. */
    private void dispatchBytes(InboundDelivery delivery, byte[] raw) {
        JsonNode message;
        try {
            message = json.readTree(raw);
        } catch (JacksonException e) {
            route(new WorkItem(delivery, null, raw, "not valid JSON (an element of a pack): "
                    + e.getOriginalMessage(), List.of(), ledger));
            return;
        }
        dispatch(delivery, message, raw);
    }

    private void dispatch(InboundDelivery delivery, JsonNode message, byte[] raw) {
        if (!message.isObject()) {
            route(new WorkItem(delivery, null, raw, "a message must be a JSON object or an array of "
                    + "objects", List.of(), ledger));
            return;
        }
        List<String> keys = filter.documentKeys(message);
        route(new WorkItem(delivery, message, raw, null, keys, ledger));
    }

    /**
     * Hands the item to the worker that holds its documents, or else to the worker whose turn it is: consecutive
     * deliveries fill one worker's batch at a time, so that a batch covers a run of delivery tags and one
     * multiple-ack settles it (with items spread by hash, each worker's acknowledgement would wait for the others).
     */
    private void route(WorkItem item) {
        int preferred = (int) ((routed.getAndIncrement() / batchSize) % workers.size());
        try {
            workers.get(ledger.assign(item.keys(), preferred)).offer(item);
        } catch (InterruptedException e) {
            LOG.debug("{}: stopping; delivery left unacknowledged for redelivery", queue);
        }
    }
}
