package io.dynamicindex.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.dynamicindex.common.Backoff;
import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.PartialUpdate;
import io.dynamicindex.indexer.document.Phase;
import io.dynamicindex.indexer.health.QueueStatus;

/**
 * Coalesced application equals sequential application: for random batches of index, update (with and without
 * upsert), delete and multi-operation messages over a few hot documents, with partial documents that change a
 * field between object and value and documents the mapping rejects, one coalesced batch leaves the same documents
 * as applying the messages one at a time, against a model of Elasticsearch's bulk semantics; every failure it
 * reports is one that message also meets alone (a change superseded within the batch, say an index the mapping
 * rejects followed by a delete, is never sent, so it is not dead-lettered); and it sends fewer items (about 0.58x
 * here, three documents per batch).
 */
class CoalescingPropertyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int RUNS = 2_000;

    @Test
    void coalescedBatchesEqualSequentialApplication() throws InterruptedException {
        long coalescedItems = 0;
        long sequentialItems = 0;
        for (int seed = 0; seed < RUNS; seed++) {
            List<List<IndexOperation>> batch = randomBatch(new Random(seed));
            ModelElasticsearch sequential = new ModelElasticsearch();
            List<List<String>> sequentialFailures = new ArrayList<>();
            for (List<IndexOperation> message : batch) {
                sequentialFailures.add(failureTypes(applier(sequential, false).apply(List.of(message))).get(0));
            }
            ModelElasticsearch coalesced = new ModelElasticsearch();
            List<List<String>> coalescedFailures = failureTypes(applier(coalesced, true).apply(batch));

            assertThat(coalesced.documents).as("documents, seed %d: %s", seed, batch).isEqualTo(sequential.documents);
            for (int message = 0; message < batch.size(); message++) {
                assertThat(sequentialFailures.get(message)).as("failures of message %d, seed %d: %s", message, seed,
                        batch).containsAll(coalescedFailures.get(message));
            }
            coalescedItems += coalesced.items;
            sequentialItems += sequential.items;
        }
        assertThat(coalescedItems).isLessThan(sequentialItems * 7 / 10);
    }

    private static PhasedApplier applier(ModelElasticsearch elasticsearch, boolean coalesce) {
        BulkSender sender = new BulkSender("q", elasticsearch::bulk, JSON, new RetryPolicy(ErrorPolicy.of(Map.of()),
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), bound -> bound), 0, Duration.ZERO,
                wait -> { }, Clock.systemUTC()), new QueueStatus("q", new SimpleMeterRegistry(), Clock.systemUTC()),
                new SimpleMeterRegistry());
        return new PhasedApplier(sender, Duration.ofMinutes(1), coalesce);
    }

    private static List<List<String>> failureTypes(List<PhasedApplier.MessageOutcome> outcomes) {
        return outcomes.stream().map(outcome -> outcome.failures().stream()
                .map(failure -> failure.operation().phase() + ":" + failure.outcome().errorType()).toList()).toList();
    }

    private static List<List<IndexOperation>> randomBatch(Random random) {
        List<List<IndexOperation>> batch = new ArrayList<>();
        int size = 1 + random.nextInt(30);
        for (int i = 0; i < size; i++) {
            DocumentKey key = new DocumentKey("products", "P" + random.nextInt(3));
            int kind = random.nextInt(20);
            if (kind < 6) {
                batch.add(List.of(new IndexOperation(Phase.INDEX, key, null, null, doc(random), false)));
            } else if (kind < 14) {
                batch.add(List.of(new IndexOperation(Phase.UPDATE, key, null, null, doc(random), random.nextBoolean())));
            } else if (kind < 18) {
                batch.add(List.of(IndexOperation.delete(Phase.DELETE, key, null, null)));
            } else {
                DocumentKey other = new DocumentKey("products", "P" + random.nextInt(3));
                batch.add(List.of(IndexOperation.delete(Phase.PREV_DELETE, other, null, null),
                        new IndexOperation(Phase.INDEX, key, null, null, doc(random), false)));
            }
        }
        return batch;
    }

    private static ObjectNode doc(Random random) {
        ObjectNode doc = JSON.createObjectNode();
        if (random.nextBoolean()) {
            doc.put("price", random.nextInt(100));
        }
        if (random.nextBoolean()) {
            ObjectNode nested = doc.putObject("stock");
            nested.put("w" + random.nextInt(3), random.nextInt(10));
        }
        if (random.nextInt(6) == 0) {
            doc.put("stock", "none");
        }
        if (random.nextInt(15) == 0) {
            doc.put("bad", true);
        }
        return doc;
    }

    /** Elasticsearch's bulk semantics for unversioned operations, over one index; "bad" fails the mapping. */
    private static final class ModelElasticsearch {

        final Map<String, JsonNode> documents = new HashMap<>();
        long items;

        BulkTransport.Response bulk(byte[] body) {
            String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
            List<String> results = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                JsonNode action = JSON.readTree(lines[i]);
                String type = action.propertyNames().iterator().next();
                String id = action.path(type).path("_id").asString();
                JsonNode source = type.equals("delete") ? null : JSON.readTree(lines[++i]);
                results.add("{\"" + type + "\":" + apply(type, id, source) + "}");
                items++;
            }
            return new BulkTransport.Response(200, ("{\"errors\":true,\"items\":[" + String.join(",", results)
                    + "]}").getBytes(StandardCharsets.UTF_8));
        }

        private String apply(String type, String id, JsonNode source) {
            switch (type) {
                case "index" -> {
                    return store(id, source);
                }
                case "delete" -> {
                    return documents.remove(id) == null ? "{\"status\":404,\"result\":\"not_found\"}"
                            : "{\"status\":200}";
                }
                default -> {
                    JsonNode existing = documents.get(id);
                    if (existing == null && !source.path("doc_as_upsert").asBoolean()) {
                        return "{\"status\":404,\"error\":{\"type\":\"document_missing_exception\"}}";
                    }
                    return store(id, existing == null ? source.get("doc")
                            : PartialUpdate.merge(existing, source.get("doc"), false));
                }
            }
        }

        private String store(String id, JsonNode document) {
            if (document.has("bad")) {
                return "{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\"}}";
            }
            documents.put(id, document);
            return "{\"status\":201}";
        }
    }
}
