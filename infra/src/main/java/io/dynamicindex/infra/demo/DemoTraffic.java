package io.dynamicindex.infra.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.RunTokens;

/**
 * Sends sample partner traffic through the HTTP API at a fixed rate and prints, every second, what was accepted,
 * moved and indexed, then a summary. Product ids are drawn from a key space of 20,000, so some changes repeat a
 * document, as real partner traffic does.
 */
final class DemoTraffic {

    private static final Pattern MOVED = Pattern.compile("\"moved\":(\\d+)");
    private static final Pattern VALUE = Pattern.compile("\"value\":([0-9.E]+)");
    private static final int KEY_SPACE = 20_000;
    private static final int BATCHES_PER_SECOND = 10;

    private final DemoMain.Daemons daemons;
    private final ElasticsearchEndpoint elasticsearch;
    private final DemoMain.DemoOptions options;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final long startedMillis;
    private final BitSet sentIds = new BitSet(KEY_SPACE);
    private long firstIndexedMillis = -1;

    DemoTraffic(DemoMain.Daemons daemons, ElasticsearchEndpoint elasticsearch, DemoMain.DemoOptions options) {
        this.daemons = daemons;
        this.elasticsearch = elasticsearch;
        this.options = options;
        String started = System.getenv("DEMO_STARTED_AT_MS");
        this.startedMillis = started == null ? System.currentTimeMillis() : Long.parseLong(started);
    }

    /** Sends, shows progress, prints the summary; returns whether every sent message is searchable. */
    boolean runAndReport() throws InterruptedException {
        DemoMain.say("sending " + options.rate() + " messages/s for " + options.duration().toSeconds() + " s to "
                + daemons.server().url() + "/api/v1/queues/" + DemoMain.SOURCE_QUEUE + "/messages");
        Thread generator = new Thread(this::generate, "demo-traffic");
        generator.start();
        long[] last = new long[3];
        int second = 0;
        while (generator.isAlive() || indexed() < accepted.get()) {
            Thread.sleep(1000);
            second++;
            last = progress(second, last);
            if (!generator.isAlive() && second > options.duration().toSeconds() + 120) {
                DemoMain.say("stopped waiting: the pipeline has not caught up after 120 s");
                break;
            }
        }
        summary(second);
        return verdict();
    }

    private void generate() {
        long end = System.nanoTime() + options.duration().toNanos();
        int perBatch = Math.max(1, options.rate() / BATCHES_PER_SECOND);
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            send(perBatch);
            next += 1_000_000_000L / BATCHES_PER_SECOND;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void send(int count) {
        StringBuilder body = new StringBuilder(count * 400);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            int id = random.nextInt(KEY_SPACE);
            synchronized (sentIds) {
                sentIds.set(id);
            }
            body.append("{\"action\":\"index\",\"index\":\"").append(DemoMain.INDEX).append("\",\"id\":\"P-")
                    .append(id).append("\",\"doc\":{\"name\":\"Product ").append(id)
                    .append("\",\"price\":").append(random.nextInt(100, 100_000))
                    .append(",\"currency\":\"EUR\",\"shop\":\"TSHOP\",\"category\":\"category-").append(id % 97)
                    .append("\",\"available\":").append(random.nextBoolean())
                    .append(",\"description\":\"Sample product sent by the Dynamic Index demo partner\"}}\n");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(daemons.server().url() + "/api/v1/queues/"
                        + DemoMain.SOURCE_QUEUE + "/messages"))
                .header("X-API-Key", DemoMain.API_KEY).header("Content-Type", "application/x-ndjson")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            (response.statusCode() == 202 ? accepted : refused).addAndGet(count);
        } catch (IOException e) {
            refused.addAndGet(count);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long[] progress(int second, long[] last) {
        long acceptedNow = accepted.get();
        long movedNow = moved();
        long indexedNow = indexed();
        if (indexedNow > 0 && firstIndexedMillis < 0) {
            firstIndexedMillis = System.currentTimeMillis();
        }
        System.out.printf("[demo] %4ds  accepted %6d/s (%8d)  moved %6d/s (%8d)  indexed %6d/s (%8d)  "
                        + "documents in '%s': %d%n", second, acceptedNow - last[0], acceptedNow, movedNow - last[1],
                movedNow, indexedNow - last[2], indexedNow, DemoMain.INDEX, elasticsearch.count(DemoMain.INDEX));
        return new long[] {acceptedNow, movedNow, indexedNow};
    }

    private void summary(int seconds) {
        DemoMain.say("---------------- summary ----------------");
        DemoMain.say("accepted " + accepted.get() + ", refused " + refused.get() + ", moved " + moved()
                + ", indexed " + indexed() + " in " + seconds + " s; documents in '" + DemoMain.INDEX + "': "
                + elasticsearch.count(DemoMain.INDEX));
        if (firstIndexedMillis > 0) {
            DemoMain.say("first document indexed " + (firstIndexedMillis - startedMillis) / 1000.0
                    + " s after the demo command started");
        }
        DemoMain.say("partner API: " + daemons.server().url() + "/api/v1/queues/" + DemoMain.SOURCE_QUEUE
                + "/messages   Elasticsearch: " + elasticsearch.url());
        DemoMain.say("send one yourself:");
        System.out.println("  curl -i -X POST " + daemons.server().url() + "/api/v1/queues/"
                + DemoMain.SOURCE_QUEUE + "/messages -H 'X-API-Key: " + DemoMain.API_KEY + "' \\\n"
                + "       -H 'Content-Type: application/json' \\\n"
                + "       -d '{\"action\":\"index\",\"index\":\"products\",\"id\":\"MY-1\",\"doc\":{\"name\":\"Mine\","
                + "\"price\":1290}}'");
        System.out.println("  curl '" + elasticsearch.url() + "/products/_doc/MY-1?pretty'");
        DemoMain.say("ops console: " + daemons.scheduler().url() + "/console/   operator token of this run: "
                + RunTokens.operator());
    }

    /**
     * Every sent message is searchable when none was refused, the indexer applied as many as were accepted, and after
     * a refresh the index holds one document for each distinct product sent.
     */
    private boolean verdict() {
        elasticsearch.call("POST", "/" + DemoMain.INDEX + "/_refresh", null);
        long sent = accepted.get() + refused.get();
        long applied = indexed();
        long distinct;
        synchronized (sentIds) {
            distinct = sentIds.cardinality();
        }
        long searchable = elasticsearch.count(DemoMain.INDEX);
        boolean every = refused.get() == 0 && applied == accepted.get() && searchable == distinct;
        DemoMain.say("sent " + sent + " messages: accepted " + accepted.get() + ", refused " + refused.get()
                + ", applied " + applied + "; " + distinct + " distinct products sent, " + searchable
                + " searchable");
        DemoMain.say(every ? "RESULT: every sent message is searchable"
                : "RESULT: NOT every sent message is searchable");
        return every;
    }

    private long moved() {
        return sumOf(MOVED, get(daemons.scheduler().url() + "/api/v1/routes"));
    }

    private long indexed() {
        return sumOf(VALUE, get(daemons.indexer().url() + "/actuator/metrics/dynamicindex.indexer.applied"));
    }

    private String get(String url) {
        try {
            HttpResponse<String> response = http.send(RunTokens.asViewer(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static long sumOf(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        long sum = 0;
        while (matcher.find()) {
            sum += (long) Double.parseDouble(matcher.group(1));
        }
        return sum;
    }
}
