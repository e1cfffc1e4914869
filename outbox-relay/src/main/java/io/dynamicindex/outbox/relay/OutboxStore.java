package io.dynamicindex.outbox.relay;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The relay's SQL on the outbox, its offset row and the lag. The batch statements ({@link #claim} to {@link #save})
 * run inside the caller's repeatable-read transaction; the others on their own. Every statement is bounded by the
 * JdbcTemplate's query timeout.
 */
public class OutboxStore {

    static final String RELAY = "outbox";
    private static final long LAG_CAP = 1_000_000;
    private static final RowMapper<OutboxRow> ROW = (rs, n) -> new OutboxRow(rs.getLong("id"),
            rs.getString("queue"), rs.getString("partner"), rs.getString("payload"));

    private final JdbcTemplate jdbc;

    /**
     * A row the relay does not publish, and why.
     *
     * @param cause  the kind of fault, a metric tag: {@code unknown_queue}, {@code message_too_large},
     *               {@code index_not_allowed}, {@code unreadable_payload} (see {@link RowRules})
     * @param detail what exactly, for the operator
     */
    record Rejection(OutboxRow row, String cause, String detail) {

        /** As stored in {@code outbox_rejected.reason}. */
        String reason() {
            return cause + ": " + detail;
        }
    }

    public OutboxStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the offset row without waiting, bounds how long the transaction may then stay idle (while the batch is
     * published), and reads the transaction's snapshot: its xmin, and as horizon the transaction's own id, which is
     * assigned in this statement, after the snapshot was taken.
     *
     * @throws org.springframework.dao.PessimisticLockingFailureException when another instance holds the row
     */
    Claim claim(Duration idleInTransaction) {
        return jdbc.queryForObject("SELECT last_id, gap_from, gap_to, gap_horizon, holder, clean, "
                        + "set_config('idle_in_transaction_session_timeout', ?, true), "
                        + "pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin, "
                        + "pg_current_xact_id()::text::bigint AS horizon "
                        + "FROM outbox_relay_offset WHERE relay = ? FOR UPDATE NOWAIT",
                (rs, n) -> new Claim(offset(rs), rs.getString("holder"), rs.getBoolean("clean"),
                        new Snapshot(rs.getLong("xmin"), rs.getLong("horizon"))),
                idleInTransaction.toMillis() + "ms", RELAY);
    }

    /**
     * The visible rows inside the gaps, ascending, at most limit: one statement for all gaps, which joins the gap
     * ranges ({@code unnest(gap_from, gap_to)}) to a range scan of the primary key each, at most limit rows per range.
     */
    List<OutboxRow> filledGaps(List<GapRange> gaps, int limit) {
        if (gaps.isEmpty()) {
            return List.of();
        }
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement("SELECT o.id, o.queue, o.partner, o.payload "
                    + "FROM unnest(?::bigint[], ?::bigint[]) AS g(gap_from, gap_to) CROSS JOIN LATERAL "
                    + "(SELECT id, queue, partner, payload::text AS payload FROM outbox "
                    + "WHERE id BETWEEN g.gap_from AND g.gap_to ORDER BY id LIMIT ?) o ORDER BY o.id LIMIT ?");
            statement.setArray(1, longs(connection, gaps.stream().map(GapRange::from).toList()));
            statement.setArray(2, longs(connection, gaps.stream().map(GapRange::to).toList()));
            statement.setInt(3, limit);
            statement.setInt(4, limit);
            return statement;
        }, ROW);
    }

    /** The visible rows above the id, ascending, at most limit. */
    List<OutboxRow> after(long lastId, int limit) {
        return jdbc.query("SELECT id, queue, partner, payload::text AS payload FROM outbox WHERE id > ? "
                + "ORDER BY id LIMIT ?", ROW, lastId, limit);
    }

    /** The last value {@code outbox_id_seq} handed out (or will hand out first, before any): no id default exceeds it. */
    long sequenceLastValue() {
        return jdbc.queryForObject("SELECT last_value FROM outbox_id_seq", Long.class);
    }

    /**
     * Moves rows from the outbox to {@code outbox_rejected}, each with its reason, in the caller's transaction (the
     * batch's, which also advances the offset past them).
     */
    void reject(List<Rejection> rejections) {
        for (Rejection rejection : rejections) {
            jdbc.update("WITH moved AS (DELETE FROM outbox WHERE id = ? RETURNING *) INSERT INTO outbox_rejected "
                    + "(id, queue, partner, document_key, payload, created_at, reason) SELECT id, queue, partner, "
                    + "document_key, payload, created_at, ? FROM moved", rejection.row().id(), rejection.reason());
        }
    }

    void save(Offset offset) {
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("UPDATE outbox_relay_offset SET last_id = ?, gap_from = ?, "
                    + "gap_to = ?, gap_horizon = ?, updated_at = now() WHERE relay = ?");
            statement.setLong(1, offset.lastId());
            statement.setArray(2, longs(connection, offset.gaps().stream().map(GapRange::from).toList()));
            statement.setArray(3, longs(connection, offset.gaps().stream().map(GapRange::to).toList()));
            statement.setArray(4, longs(connection, offset.gaps().stream().map(GapRange::horizon).toList()));
            statement.setString(5, RELAY);
            return statement;
        });
    }

    /** Rejected rows, lowest ids first, at most limit. */
    public List<RejectedRow> rejected(int limit) {
        return jdbc.query("SELECT id, queue, partner, document_key, payload::text AS payload, created_at, reason, "
                + "rejected_at FROM outbox_rejected ORDER BY id LIMIT ?", (rs, n) -> new RejectedRow(rs.getLong("id"),
                rs.getString("queue"), rs.getString("partner"), rs.getString("document_key"),
                rs.getString("payload"), rs.getTimestamp("created_at").toInstant(), rs.getString("reason"),
                rs.getTimestamp("rejected_at").toInstant()), limit);
    }

    /**
     * Inserts rejected rows back into the outbox as new rows (new ids from the id default, so they go through the
     * normal path after everything already there) and removes them from {@code outbox_rejected}, in one statement:
     * the one with the id, or every one when id is null, lowest ids first.
     *
     * @return how many rows were re-queued
     */
    public int requeue(Long id) {
        String moved = "INSERT INTO outbox (queue, partner, document_key, payload) SELECT queue, partner, "
                + "document_key, payload FROM moved ORDER BY id";
        if (id == null) {
            return jdbc.update("WITH moved AS (DELETE FROM outbox_rejected RETURNING *) " + moved);
        }
        return jdbc.update("WITH moved AS (DELETE FROM outbox_rejected WHERE id = ? RETURNING *) " + moved, id);
    }

    /** Makes the instance the holder, whose stop is not clean until it says so. */
    void takeOver(String instance) {
        jdbc.update("UPDATE outbox_relay_offset SET holder = ?, clean = false, updated_at = now() WHERE relay = ?",
                instance, RELAY);
    }

    /** The highest visible id, or 0. */
    long maxId() {
        return jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM outbox", Long.class);
    }

    /** Says that the holder stopped with nothing published beyond the offset; nothing when it is no longer holder. */
    boolean stopCleanly(String instance) {
        return jdbc.update("UPDATE outbox_relay_offset SET clean = true, updated_at = now() "
                + "WHERE relay = ? AND holder = ?", RELAY, instance) == 1;
    }

    /**
     * Deletes up to chunk published rows inserted before the retention, lowest ids first; never a row at or above
     * the lowest pending gap.
     *
     * @return how many rows were deleted
     */
    int deletePublished(Duration retention, int chunk) {
        return jdbc.update("DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbox o, outbox_relay_offset r "
                + "WHERE r.relay = ? AND o.id <= LEAST(r.last_id, coalesce(r.gap_from[1] - 1, r.last_id)) "
                + "AND o.created_at < now() - make_interval(secs => ?) ORDER BY o.id LIMIT ?)",
                RELAY, retention.toSeconds(), chunk);
    }

    /**
     * The stored offset and holder, and what waits above the offset: the count capped at a million, and the age of
     * the lowest waiting id, which the primary key finds without reading the backlog (ids are taken in time order,
     * so it is the oldest row but for the moments between a row's id and its {@code created_at}).
     */
    Optional<Lag> lag() {
        return jdbc.query("SELECT r.last_id, r.gap_from, r.gap_to, r.gap_horizon, r.holder, "
                + "(SELECT count(*) FROM (SELECT 1 FROM outbox WHERE id > r.last_id LIMIT ?) w) AS waiting, "
                + "(SELECT extract(epoch FROM clock_timestamp() - created_at) FROM outbox WHERE id > r.last_id "
                + "ORDER BY id LIMIT 1) AS oldest, (SELECT count(*) FROM outbox_rejected) AS rejected "
                + "FROM outbox_relay_offset r WHERE r.relay = ?",
                (rs, n) -> new Lag(offset(rs), rs.getString("holder"), rs.getLong("waiting"),
                        rs.getDouble("oldest"), rs.getLong("rejected")), LAG_CAP, RELAY).stream().findFirst();
    }

    /**
     * What waits in the outbox, as stored.
     *
     * @param waiting       rows above the offset (at most a million are counted)
     * @param oldestSeconds the age of the oldest of them, 0 when none waits
     * @param rejected      rows in {@code outbox_rejected}
     */
    record Lag(Offset offset, String holder, long waiting, double oldestSeconds, long rejected) {
    }

    private static Offset offset(ResultSet rs) throws SQLException {
        Long[] from = (Long[]) rs.getArray("gap_from").getArray();
        Long[] to = (Long[]) rs.getArray("gap_to").getArray();
        Long[] horizon = (Long[]) rs.getArray("gap_horizon").getArray();
        List<GapRange> gaps = new ArrayList<>(from.length);
        for (int i = 0; i < from.length; i++) {
            gaps.add(new GapRange(from[i], to[i], horizon[i]));
        }
        return new Offset(rs.getLong("last_id"), gaps);
    }

    private static Array longs(Connection connection, List<Long> values) throws SQLException {
        return connection.createArrayOf("bigint", values.toArray());
    }
}
