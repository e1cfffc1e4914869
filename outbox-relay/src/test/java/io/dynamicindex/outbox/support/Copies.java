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
