package io.dynamicindex.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class OffsetBookTest {

    private static final long ALL = Long.MAX_VALUE;
    /** Transactions from 100 on still run: no gap with a horizon above 100 is final. */
    private static final Snapshot RUNNING = new Snapshot(100, 120);

    @Test
    void contiguousRowsMoveTheOffsetAndLeaveNoGap() {
        Offset after = OffsetBook.advance(new Offset(0, List.of()), RUNNING, List.of(), ALL, List.of(1L, 2L, 3L));

        assertThat(after).isEqualTo(new Offset(3, List.of()));
    }

    @Test
    void missingIdsBecomeOneRangeWithThePollsHorizon() {
        Offset after = OffsetBook.advance(new Offset(2, List.of()), RUNNING, List.of(), ALL, List.of(3L, 7L, 9L));

        assertThat(after).isEqualTo(new Offset(9, List.of(new GapRange(4, 6, 120), new GapRange(8, 8, 120))));
    }

    @Test
    void missingIdsAreFinalAtOnceWhenNoTransactionRuns() {
        Offset after = OffsetBook.advance(new Offset(0, List.of()), new Snapshot(50, 50), List.of(), ALL,
                List.of(1L, 5L));

        assertThat(after).isEqualTo(new Offset(5, List.of()));
    }

    @Test
    void aRowThatBecomesVisibleSplitsItsGap() {
        Offset before = new Offset(10, List.of(new GapRange(2, 6, 110)));

        Offset after = OffsetBook.advance(before, RUNNING, List.of(4L), ALL, List.of());

        assertThat(after).isEqualTo(new Offset(10, List.of(new GapRange(2, 3, 110), new GapRange(5, 6, 110))));
    }

    @Test
    void aGapStaysWhileATransactionThatMayHoldItRuns() {
        Offset before = new Offset(10, List.of(new GapRange(5, 5, 100)));

        assertThat(OffsetBook.advance(before, new Snapshot(99, 130), List.of(), ALL, List.of())).isEqualTo(before);
        assertThat(OffsetBook.advance(before, new Snapshot(100, 130), List.of(), ALL, List.of()))
                .isEqualTo(new Offset(10, List.of()));
    }

    @Test
    void onlyTheScannedPartOfAGapIsDroppedWhenTheBatchFilledUp() {
        Offset before = new Offset(50, List.of(new GapRange(2, 9, 90), new GapRange(20, 30, 90)));

        Offset after = OffsetBook.advance(before, RUNNING, List.of(3L, 4L), 4, List.of());

        assertThat(after).as("2 was scanned and is final; 5..9 and 20..30 were not looked at")
                .isEqualTo(new Offset(50, List.of(new GapRange(5, 9, 90), new GapRange(20, 30, 90))));
    }

    @Test
    void filledGapsAndNewRowsInOnePoll() {
        Offset before = new Offset(5, List.of(new GapRange(2, 3, 110)));

        Offset after = OffsetBook.advance(before, RUNNING, List.of(2L, 3L), ALL, List.of(8L));

        assertThat(after).isEqualTo(new Offset(8, List.of(new GapRange(6, 7, 120))));
    }

    /**
     * A model of producers: ids are taken in order, each by a transaction with an id, and commit or roll back in any
     * order. Each poll sees the committed ids and the snapshot bounds; whatever it finds is published. At the end,
     * once every transaction ended, every committed id was published exactly once and no gap is left.
     */
    @Test
    void publishesEveryCommittedIdExactlyOnceWhateverTheCommitOrder() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int ids = 1 + random.nextInt(60);
            List<Long> commitOrder = new ArrayList<>();
            for (long id = 1; id <= ids; id++) {
                commitOrder.add(id);
            }
            Collections.shuffle(commitOrder, random);
            TreeSet<Long> committed = new TreeSet<>();
            List<Long> published = new ArrayList<>();
            Offset offset = new Offset(0, List.of());
            int batch = 1 + random.nextInt(8);
            int ended = 0;
            while (ended < ids || !offset.gaps().isEmpty() || committed.higher(offset.lastId()) != null) {
                if (ended < ids) {
                    long id = commitOrder.get(ended++);
                    if (random.nextInt(5) > 0) {
                        committed.add(id);
                    }
                }
                offset = poll(offset, committed, commitOrder, ended, batch, published);
            }
            assertThat(published).as("round %d", round).containsExactlyInAnyOrderElementsOf(committed);
        }
    }

    /** One poll of the model: transaction i has transaction id 1000 + id; the running ones are those not ended. */
    private static Offset poll(Offset offset, TreeSet<Long> committed, List<Long> commitOrder, int ended, int batch,
                               List<Long> published) {
        long xmin = commitOrder.subList(ended, commitOrder.size()).stream().mapToLong(id -> 1000 + id).min()
                .orElse(1000 + commitOrder.size() + 1);
        Snapshot snapshot = new Snapshot(xmin, 1000 + commitOrder.size() + 1);
        List<Long> filled = new ArrayList<>();
        for (GapRange gap : offset.gaps()) {
            for (long id : committed.subSet(gap.from(), true, gap.to(), true)) {
                if (filled.size() < batch) {
                    filled.add(id);
                }
            }
        }
        long scannedThrough = filled.size() == batch ? filled.get(batch - 1) : ALL;
        List<Long> fresh = filled.size() == batch ? List.of()
                : committed.tailSet(offset.lastId(), false).stream().limit(batch - filled.size()).toList();
        published.addAll(filled);
        published.addAll(fresh);
        return OffsetBook.advance(offset, snapshot, filled, scannedThrough, fresh);
    }
}
