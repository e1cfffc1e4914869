package io.dynamicindex.indexer.rebuild;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The documents of a concrete live index that the archive holds no live row for: what the first rebuild of that
 * index drops, since the switch deletes the index ({@code remove_index}) and the new index holds the archive's rows
 * only. Exact, in two passes: the first scrolls the index's ids (no sources, 1,000 a page) and looks each page up in
 * the archive by primary key; the second pass, under the archive's exclusive lock of the name (no live batch of it
 * is between its bulks and its archive commit then), looks the ids still missing up again, in the archive and then in
 * the refreshed index (a document deleted meanwhile is not lost). One pass over the ids; the candidates of the second
 * pass are held in memory, and live batches of the name pause while they are looked up (normally only the few a live
 * batch was writing during the scan; every unarchived document on a legacy index).
 *
 * @param live     documents in the live index when it was scanned
 * @param archived live rows of the name in the archive
 * @param count    live documents without a live archive row
 * @param sample   the first of their ids, up to {@value #SAMPLE}
 */
record Unarchived(long live, long archived, long count, List<String> sample) {

    /** How many of the ids a refusal, the log and the audit trail name. */
    static final int SAMPLE = 100;

    private static final int PAGE = 1_000;

    /** Counts the concrete index's documents that the archive has no live row of. */
    static Unarchived of(String index, ElasticsearchCalls elasticsearch, ArchiveReader archive, ArchiveLock lock,
                         RebuildStore store, JsonMapper json) {
        List<String> candidates = new ArrayList<>();
        long live = scanIds(index, elasticsearch, json, ids -> candidates.addAll(archive.withoutLiveRow(index, ids)));
        if (candidates.isEmpty()) {
            return new Unarchived(live, archived(index, store), 0, List.of());
        }
        return lock.whileHolding(index, () -> recheck(index, live, candidates, elasticsearch, archive, store, json));
    }

    /** Under the exclusive lock, no live batch of the name is in flight: both stores agree on what it wrote. */
    private static Unarchived recheck(String index, long live, List<String> candidates,
                                      ElasticsearchCalls elasticsearch, ArchiveReader archive, RebuildStore store,
                                      JsonMapper json) {
        elasticsearch.refresh(index, index);
        long count = 0;
        List<String> sample = new ArrayList<>();
        for (int from = 0; from < candidates.size(); from += PAGE) {
            List<String> missing = archive.withoutLiveRow(index,
                    candidates.subList(from, Math.min(candidates.size(), from + PAGE)));
            List<String> present = missing.isEmpty() ? List.of() : present(index, missing, elasticsearch, json);
            count += present.size();
            present.stream().limit(SAMPLE - sample.size()).forEach(sample::add);
        }
        return new Unarchived(live, archived(index, store), count, List.copyOf(sample));
    }

    private static long archived(String index, RebuildStore store) {
        Long rows = store.liveDocuments(index);
        return rows == null ? 0 : rows;
    }

    /** Scrolls every id of the refreshed index, a page at a time; returns the index's document count. */
    private static long scanIds(String index, ElasticsearchCalls elasticsearch, JsonMapper json,
                                Consumer<List<String>> pages) {
        elasticsearch.refresh(index, index);
        ObjectNode search = json.createObjectNode().put("size", PAGE).put("_source", false)
                .put("track_total_hits", true);
        search.putArray("sort").add("_doc");
        JsonNode page = elasticsearch.read(index, "/" + index + "/_search?scroll=1m", search);
        long live = page.path("hits").path("total").path("value").asLong();
        try {
            while (!page.path("hits").path("hits").isEmpty()) {
                pages.accept(ids(page));
                page = elasticsearch.read(index, "/_search/scroll", json.createObjectNode().put("scroll", "1m")
                        .put("scroll_id", page.path("_scroll_id").asString()));
            }
        } finally {
            elasticsearch.clearScroll(index, page.path("_scroll_id").asString());
        }
        return live;
    }

    /** Which of the ids the index holds. */
    private static List<String> present(String index, List<String> ids, ElasticsearchCalls elasticsearch,
                                        JsonMapper json) {
        ObjectNode search = json.createObjectNode().put("size", ids.size()).put("_source", false);
        ArrayNode values = search.putObject("query").putObject("ids").putArray("values");
        ids.forEach(values::add);
        return ids(elasticsearch.read(index, "/" + index + "/_search", search));
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("hits").path("hits").forEach(hit -> ids.add(hit.path("_id").asString()));
        return ids;
    }

    /** "index X holds N document(s) and the archive M live row(s) of it: K document(s) without ... (e.g. ...)". */
    String describe(String index) {
        return "index " + index + " holds " + live + " document(s) and the archive " + archived + " live row(s) of "
                + "it: " + count + " document(s) without an archive row (e.g. " + String.join(", ", sample)
                + (count > sample.size() ? ", ..." : "") + ")";
    }
}
