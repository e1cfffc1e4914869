package io.dynamicindex.outbox.relay;

import java.util.ArrayList;
import java.util.List;

/**
 * The gap bookkeeping: how the offset moves after one poll published some rows. Pure, so that it is tested alone.
 *
 * <p>Why it is safe. Ids come from a sequence without a cache, and the id function gives the inserting transaction
 * its transaction id before it takes the id. (The snapshot's own xmax would not do as the bound: it is one past the
 * latest <em>completed</em> transaction, and T may have got its transaction id after that one and still run, above
 * xmax and so outside the snapshot's list of running transactions.) So if a row is visible in a snapshot S and a lower id g is not, the
 * transaction T that took g got its transaction id before that row's transaction committed, which was before S:
 * T's transaction id is below any transaction id assigned after S was taken, such as the poll's own (the gap's
 * {@link GapRange#horizon() horizon}). A later snapshot whose xmin reaches that horizon sees T ended; if g is still
 * not visible in that very snapshot, T rolled back (or g was never used) and g is final. Until then g stays pending and each
 * poll looks for it again. The poll reads the offset, the gaps, the new rows and the snapshot's bounds in one
 * repeatable-read transaction, so all of them see the same snapshot.
 *
 * <p>A gap is kept as a range, so that a large rolled-back insert costs one entry, not one per id. A range is only
 * dropped for the part of it that the poll actually scanned: when the rows found in gaps filled the batch, the
 * ranges above the last row read were not looked at in this snapshot and stay as they are.
 */
public final class OffsetBook {

    private OffsetBook() {
    }

    /**
     * The offset after a poll.
     *
     * @param before         the offset the poll started from
     * @param snapshot       the snapshot the poll read in
     * @param filled         the ids found visible inside {@code before}'s gaps, ascending, all published
     * @param scannedThrough the highest id whose gap the poll scanned: the last filled id when the gap rows filled
     *                       the batch, else {@link Long#MAX_VALUE}
     * @param fresh          the ids found above {@code before.lastId()}, ascending, all published
     */
    public static Offset advance(Offset before, Snapshot snapshot, List<Long> filled, long scannedThrough,
                                 List<Long> fresh) {
        List<GapRange> gaps = new ArrayList<>();
        int next = 0;
        for (GapRange gap : before.gaps()) {
            long from = gap.from();
            while (next < filled.size() && filled.get(next) <= gap.to()) {
                long id = filled.get(next++);
                keepUnlessEnded(gaps, from, id - 1, gap.horizon(), snapshot, scannedThrough);
                from = id + 1;
            }
            keepUnlessEnded(gaps, from, gap.to(), gap.horizon(), snapshot, scannedThrough);
        }
        long expected = before.lastId() + 1;
        for (long id : fresh) {
            keepUnlessEnded(gaps, expected, id - 1, snapshot.horizon(), snapshot, Long.MAX_VALUE);
            expected = id + 1;
        }
        long lastId = fresh.isEmpty() ? before.lastId() : fresh.get(fresh.size() - 1);
        return new Offset(lastId, gaps);
    }

    /** Keeps the ids from..to as a pending gap, except the part the poll scanned and found final. */
    private static void keepUnlessEnded(List<GapRange> gaps, long from, long to, long horizon, Snapshot snapshot,
                                        long scannedThrough) {
        if (from > to) {
            return;
        }
        if (from <= scannedThrough && to > scannedThrough) {
            keepUnlessEnded(gaps, from, scannedThrough, horizon, snapshot, scannedThrough);
            gaps.add(new GapRange(scannedThrough + 1, to, horizon));
        } else if (from > scannedThrough || !snapshot.ended(horizon)) {
            gaps.add(new GapRange(from, to, horizon));
        }
    }
}
