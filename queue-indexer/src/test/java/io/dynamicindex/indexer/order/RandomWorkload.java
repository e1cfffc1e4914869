package io.dynamicindex.indexer.order;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random canonical messages over a small key space in two indices, so that documents repeat often: index, update,
 * upsert, delete, prev-delete and trigger-delete on unversioned documents, and versioned index and delete (each
 * version used once) on a separate set of documents.
 */
public final class RandomWorkload {

    private static final int KEYS = 6;

    private final Random random;
    private final String primary;
    private final String secondary;
    private final Set<Long> usedVersions = new HashSet<>();

    public RandomWorkload(long seed, String primary, String secondary) {
        this.random = new Random(seed);
        this.primary = primary;
        this.secondary = secondary;
    }

    public List<GeneratedMessage> messages(int count) {
        List<GeneratedMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(random.nextInt(5) == 0 ? versioned(i) : unversioned(i));
        }
        return messages;
    }

    private GeneratedMessage unversioned(int sequence) {
        String index = random.nextBoolean() ? primary : secondary;
        String id = "K" + random.nextInt(KEYS);
        List<String> prev = targets(id, index);
        List<String> trigger = targets(id, index);
        return switch (random.nextInt(4)) {
            case 0 -> new GeneratedMessage("index", index, id, null, doc("v", sequence), false, prev, trigger);
            case 1 -> new GeneratedMessage("update", index, id, null, doc("u" + random.nextInt(3), sequence),
                    random.nextBoolean(), prev, trigger);
            case 2 -> new GeneratedMessage("delete", index, id, null, null, false, prev, trigger);
            default -> new GeneratedMessage("index", index, id, null, doc("w", sequence), false, prev, trigger);
        };
    }

    private GeneratedMessage versioned(int sequence) {
        String id = "V" + random.nextInt(3);
        long version;
        do {
            version = 1 + random.nextInt(10_000);
        } while (!usedVersions.add(version));
        return random.nextInt(3) == 0
                ? new GeneratedMessage("delete", primary, id, version, null, false, List.of(), List.of())
                : new GeneratedMessage("index", primary, id, version, doc("v", sequence), false, List.of(),
                        List.of());
    }

    /** Zero to two other unversioned documents of either index. */
    private List<String> targets(String id, String index) {
        List<String> targets = new ArrayList<>();
        int count = random.nextInt(6) == 0 ? 1 + random.nextInt(2) : 0;
        for (int i = 0; i < count; i++) {
            String target = (random.nextBoolean() ? primary : secondary) + "/K" + random.nextInt(KEYS);
            if (!target.equals(index + "/" + id)) {
                targets.add(target);
            }
        }
        return targets;
    }

    private static Map<String, Object> doc(String field, int sequence) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(field, sequence);
        return doc;
    }
}
