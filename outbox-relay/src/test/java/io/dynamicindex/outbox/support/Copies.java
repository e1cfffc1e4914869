package io.dynamicindex.outbox.support;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What reached a queue, by outbox id. */
public final class Copies {

    private Copies() {
    }

    public static Map<Long, List<Published>> byOutboxId(List<Published> messages) {
        return messages.stream().collect(Collectors.groupingBy(Published::outboxId));
    }

    /** The ids of which more than one copy arrived without {@code x-possible-duplicate}. */
    public static List<Long> unmarkedTwice(List<Published> messages) {
        return byOutboxId(messages).entrySet().stream()
                .filter(entry -> entry.getValue().stream().filter(m -> !m.possibleDuplicate()).count() > 1)
                .map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * The ids whose last copy arrived after the last copy of a higher id. Every attempt publishes from the stored
     * offset up in id order, so the last copies are in id order whatever failed before (without late commits); a
     * consumer that applies every copy ends with each document as the producers left it.
     */
    public static List<Long> lastCopiesOutOfOrder(List<Published> messages) {
        Map<Long, Integer> last = new java.util.HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            last.put(messages.get(i).outboxId(), i);
        }
        List<Long> ids = last.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .toList();
        List<Long> outOfOrder = new java.util.ArrayList<>();
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) < ids.get(i - 1)) {
                outOfOrder.add(ids.get(i));
            }
        }
        return outOfOrder;
    }

    /** The ids of the unmarked copies that arrived after a copy of a higher id (without late commits: none). */
    public static List<Long> unmarkedAfterHigher(List<Published> messages) {
        List<Long> unmarked = new java.util.ArrayList<>();
        long highest = 0;
        for (Published message : messages) {
            if (message.outboxId() < highest && !message.possibleDuplicate()) {
                unmarked.add(message.outboxId());
            }
            highest = Math.max(highest, message.outboxId());
        }
        return unmarked;
    }

    /** The publishing instances in queue order, each run of one instance's messages counted once. */
    public static List<String> instanceRuns(List<Published> messages) {
        List<String> runs = new java.util.ArrayList<>();
        for (Published message : messages) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(message.instance())) {
                runs.add(message.instance());
            }
        }
        return runs;
    }
}
