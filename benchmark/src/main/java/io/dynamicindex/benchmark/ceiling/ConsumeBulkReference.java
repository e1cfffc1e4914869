package io.dynamicindex.benchmark.ceiling;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.benchmark.environment.Broker;
import io.dynamicindex.benchmark.measure.Progress;
import io.dynamicindex.benchmark.report.Ceiling;

/**
 * The fair reference for the indexer stage: the least a consumer of the same backlog must do. Two threads (the
 * indexer's default workers), each with a channel and consumer of its own at the indexer's prefetch (2,000), take
 * deliveries until they hold at least 500 changes (its default batch; a delivery is one change or a JSON array of
 * them), send those documents to {@code _bulk} as one request, and acknowledge them with one multiple-ack once
 * Elasticsearch answered: no filter, no ordering, no phases, no dead letters. It counts changes. The rate is
 * counted like the indexer's drain, from 5 % of the backlog to its end. The threads are named
 * {@code consume-bulk-N}; this class starts and joins them.
 */
public final class ConsumeBulkReference {

    private static final int THREADS = 2;
    private static final int PREFETCH = 2000;
    private static final int BATCH = 500;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Broker broker;
    private final String elasticsearchUrl;
    private final Progress progress;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicReference<String> error = new AtomicReference<>();

    public ConsumeBulkReference(Broker broker, String elasticsearchUrl, Progress progress) {
        this.broker = broker;
        this.elasticsearchUrl = elasticsearchUrl;
        this.progress = progress;
    }

    public Ceiling measure(String queue, long backlog, Duration timeout) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Channel channel = broker.channel();
            channels.add(channel);
            BlockingQueue<Delivery> inbox = subscribe(channel, queue);
            Thread thread = new Thread(() -> loop(channel, inbox), "consume-bulk-" + i);
            threads.add(thread);
            thread.start();
        }
        try {
            return new Ceiling("consume-bulk", "2 threads x (consumer at prefetch " + PREFETCH + ", batches of "
                    + BATCH + " to _bulk, one multiple-ack each): the same backlog, no filter, no ordering",
                    rate(backlog, timeout), Map.of("backlog", backlog));
        } finally {
            threads.forEach(Thread::interrupt);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            for (Channel channel : channels) {
                channel.abort();
            }
        }
    }

    private double rate(long backlog, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long startCount = -1;
        long startNanos = 0;
        while (applied.get() < backlog && System.nanoTime() < deadline && error.get() == null) {
            Thread.sleep(100);
            if (startCount < 0 && applied.get() >= backlog / 20) {
                startCount = applied.get();
                startNanos = System.nanoTime();
            }
            progress.update("consume + _bulk: " + applied.get() + " of " + backlog);
        }
        if (error.get() != null || startCount < 0 || applied.get() < backlog) {
            throw new IllegalStateException("consume + _bulk applied " + applied.get() + " of " + backlog + ": "
                    + error.get());
        }
        return (applied.get() - startCount) / ((System.nanoTime() - startNanos) / 1e9);
    }

    private static BlockingQueue<Delivery> subscribe(Channel channel, String queue) throws IOException {
        BlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
        channel.basicQos(PREFETCH);
        channel.basicConsume(queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                inbox.add(new Delivery(envelope, properties, body));
            }
        });
        return inbox;
    }

    private void loop(Channel channel, BlockingQueue<Delivery> inbox) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Delivery delivery = inbox.poll(50, TimeUnit.MILLISECONDS);
                if (delivery == null) {
                    continue;
                }
                ByteArrayOutputStream body = new ByteArrayOutputStream(BATCH * 512);
                int changes = 0;
                long lastTag = 0;
                for (; delivery != null; delivery = changes < BATCH ? inbox.poll() : null) {
                    changes += lines(body, delivery);
                    lastTag = delivery.getEnvelope().getDeliveryTag();
                }
                send(body);
                channel.basicAck(lastTag, true);
                applied.addAndGet(changes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            error.compareAndSet(null, e.toString());
        }
    }

    /** Writes the delivery's changes as bulk lines; returns how many. */
    private static int lines(ByteArrayOutputStream body, Delivery delivery) {
        JsonNode message = JSON.readTree(delivery.getBody());
        if (!message.isArray()) {
            line(body, message);
            return 1;
        }
        message.forEach(change -> line(body, change));
        return message.size();
    }

    private void send(ByteArrayOutputStream body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(elasticsearchUrl + "/_bulk"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("_bulk answered " + response.statusCode());
        }
    }

    private static void line(ByteArrayOutputStream body, JsonNode message) {
        String action = message.path("action").asString("index");
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("_index", message.path("index").asString());
        target.put("_id", message.path("id").asString());
        body.writeBytes(JSON.writeValueAsBytes(Map.of(action, target)));
        body.write('\n');
        if (action.equals("index")) {
            body.writeBytes(JSON.writeValueAsBytes(message.path("doc")));
            body.write('\n');
        } else if (action.equals("update")) {
            body.writeBytes(JSON.writeValueAsBytes(Map.of("doc", message.path("doc"), "doc_as_upsert", true)));
            body.write('\n');
        }
    }
}
