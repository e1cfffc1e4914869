package io.dynamicindex.indexer.rebuild;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.dynamicindex.infra.ElasticsearchEndpoint;

/**
 * A writer thread that keeps changing documents as the live indexer would ({@link ArchiveFixture#write}), and a
 * searcher thread that keeps searching through the alias and counts failed and empty answers.
 */
final class LiveTraffic implements AutoCloseable {

    private static final int BATCH = 20;

    private final ArchiveFixture archive;
    private final ElasticsearchEndpoint elasticsearch;
    private final String alias;
    private final Random random = new Random(15);
    private final Map<String, Long> versions = new HashMap<>();
    private final int documents;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong searches = new AtomicLong();
    private final List<String> failedSearches = new CopyOnWriteArrayList<>();
    private final List<String> emptySearches = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private int sequence;

    LiveTraffic(ArchiveFixture archive, ElasticsearchEndpoint elasticsearch, String alias, int documents) {
        this.archive = archive;
        this.elasticsearch = elasticsearch;
        this.alias = alias;
        this.documents = documents;
    }

    /** Writes every document once (even ids versioned), in live batches of 500. */
    void seed() throws Exception {
        for (int from = 0; from < documents; from += 500) {
            List<ArchiveFixture.Change> changes = new ArrayList<>();
            for (int i = from; i < Math.min(documents, from + 500); i++) {
                changes.add(index(id(i)));
            }
            archive.write(changes);
        }
    }

    void start() {
        threads.add(new Thread(this::writeUntilClosed, "live-writer"));
        threads.add(new Thread(this::searchUntilClosed, "live-searcher"));
        threads.forEach(Thread::start);
    }

    private void writeUntilClosed() {
        try {
            while (running.get()) {
                archive.write(randomBatch());
                batches.incrementAndGet();
                Thread.sleep(5);
            }
        } catch (Throwable e) {
            writerFailure.set(e);
        }
    }

    private void searchUntilClosed() {
        while (running.get()) {
            searches.incrementAndGet();
            try {
                HttpResponse<String> answer = elasticsearch.call("GET", "/" + alias
                        + "/_search?size=0&track_total_hits=true", null);
                if (answer.statusCode() != 200) {
                    failedSearches.add(Instant.now() + " " + answer.statusCode() + " " + answer.body());
                } else if (ArchiveFixture.JSON.readTree(answer.body()).path("hits").path("total").path("value")
                        .asLong() == 0) {
                    emptySearches.add(Instant.now() + " " + answer.body());
                }
            } catch (RuntimeException e) {
                failedSearches.add(Instant.now() + " " + e);
            }
        }
    }

    /** Changes of distinct documents: mostly new sources, some deletes, some documents beyond the seeded ones. */
    private List<ArchiveFixture.Change> randomBatch() {
        Set<String> ids = new LinkedHashSet<>();
        while (ids.size() < BATCH) {
            ids.add(id(random.nextInt(documents + documents / 10)));
        }
        List<ArchiveFixture.Change> changes = new ArrayList<>();
        for (String id : ids) {
            changes.add(random.nextInt(7) == 0 ? delete(id) : index(id));
        }
        return changes;
    }

    private ArchiveFixture.Change index(String id) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "Product " + id + " Édition " + sequence);
        doc.put("n", sequence++);
        return new ArchiveFixture.Change(id, nextVersion(id), doc);
    }

    private ArchiveFixture.Change delete(String id) {
        return new ArchiveFixture.Change(id, nextVersion(id), null);
    }

    /** Even ids carry external versions, strictly increasing; odd ids none. */
    private Long nextVersion(String id) {
        if (Integer.parseInt(id.substring(1)) % 2 != 0) {
            return null;
        }
        return versions.merge(id, (long) (1 + random.nextInt(3)), Long::sum);
    }

    private static String id(int number) {
        return String.format("d%06d", number);
    }

    long batches() {
        return batches.get();
    }

    /**
     * The searches since the last tally, and the failed and empty ones with their time and answer.
     */
    record Tally(long searches, List<String> failed, List<String> empty) {
    }

    /** The searches since the last call; counting starts again. */
    synchronized Tally tally() {
        Tally tally = new Tally(searches.getAndSet(0), List.copyOf(failedSearches), List.copyOf(emptySearches));
        failedSearches.removeAll(tally.failed());
        emptySearches.removeAll(tally.empty());
        return tally;
    }

    Throwable writerFailure() {
        return writerFailure.get();
    }

    /** Stops both threads and waits for them. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }
}
