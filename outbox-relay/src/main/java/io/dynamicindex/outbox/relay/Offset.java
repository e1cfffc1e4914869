package io.dynamicindex.outbox.relay;

import java.util.List;

/**
 * How far the relay has published, as stored in {@code outbox_relay_offset}: every id up to {@code lastId} has been
 * published, or is a hole that will never fill, or lies in one of the pending {@code gaps} (sorted, disjoint, all
 * below {@code lastId}), whose rows are published as soon as they become visible.
 */
public record Offset(long lastId, List<GapRange> gaps) {

    public Offset {
        gaps = List.copyOf(gaps);
    }

    /** How many ids the pending gaps hold. */
    public long pendingIds() {
        return gaps.stream().mapToLong(GapRange::size).sum();
    }
}
