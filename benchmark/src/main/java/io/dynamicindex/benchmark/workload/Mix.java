package io.dynamicindex.benchmark.workload;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shares of each kind of canonical message, in percent. {@code prevDelete} and {@code triggerDelete} are index
 * messages that also carry a prev-delete (of another product) or a trigger-delete (of the product's "unmatched"
 * copy).
 */
public record Mix(int index, int update, int delete, int prevDelete, int triggerDelete) {

    /** Index messages only: what the stage measurements and the _bulk ceiling use. */
    public static final Mix INDEX_ONLY = new Mix(100, 0, 0, 0, 0);

    /** The end-to-end default: mostly index, some partial updates, a few deletes and moves. */
    public static final Mix DEFAULT = new Mix(70, 15, 5, 5, 5);

    public Mix {
        if (index < 0 || update < 0 || delete < 0 || prevDelete < 0 || triggerDelete < 0
                || index + update + delete + prevDelete + triggerDelete != 100) {
            throw new IllegalArgumentException("the mix must be five non-negative percentages adding up to 100, got "
                    + index + "/" + update + "/" + delete + "/" + prevDelete + "/" + triggerDelete);
        }
    }

    /** Parses {@code index=70,update=15,delete=5,prevDelete=5,triggerDelete=5}; missing kinds are 0. */
    public static Mix parse(String text) {
        Map<String, Integer> shares = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("--mix expects kind=percent pairs, got '" + part + "'");
            }
            shares.put(pair[0].trim(), Integer.parseInt(pair[1].trim()));
        }
        Set<String> unknown = new LinkedHashSet<>(shares.keySet());
        unknown.removeAll(List.of("index", "update", "delete", "prevDelete", "triggerDelete"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--mix knows index, update, delete, prevDelete and triggerDelete; got "
                    + unknown);
        }
        return new Mix(shares.getOrDefault("index", 0), shares.getOrDefault("update", 0),
                shares.getOrDefault("delete", 0), shares.getOrDefault("prevDelete", 0),
                shares.getOrDefault("triggerDelete", 0));
    }

    @Override
    public String toString() {
        return "index=" + index + ",update=" + update + ",delete=" + delete + ",prevDelete=" + prevDelete
                + ",triggerDelete=" + triggerDelete;
    }
}
