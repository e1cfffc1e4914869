package io.dynamicindex.indexer.rebuild;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rebuild's state rows in {@code archive_rebuild}. Every timestamp is PostgreSQL's {@code now()}, so the rate
 * is measured on one clock whichever process ran the rebuild.
 */
final class RebuildStore {

    private static final String COLUMNS = "alias, target_index, settings::text, phase, failed_in, last_doc_id, "
            + "mark_seq, copied, caught_up, total_estimate, resumes, run_base, started_at, run_started_at, "
            + "updated_at, switched_at, previous, error";

    private final JdbcTemplate jdbc;

    RebuildStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<RebuildState> find(String alias) {
        List<RebuildState> rows = jdbc.query("SELECT " + COLUMNS + " FROM archive_rebuild WHERE alias = ?",
                RebuildStore::state, alias);
        return rows.stream().findFirst();
    }

    /** Records a new rebuild in phase copying, replacing the row of an earlier one of the alias. */
    void begin(String alias, String targetIndex, String settings, Long totalEstimate) {
        jdbc.update("INSERT INTO archive_rebuild (alias, target_index, settings, phase, total_estimate, started_at, "
                + "run_started_at, updated_at) VALUES (?, ?, ?::jsonb, 'copying', ?, now(), now(), now()) "
                + "ON CONFLICT (alias) DO UPDATE SET target_index = EXCLUDED.target_index, "
                + "settings = EXCLUDED.settings, phase = 'copying', failed_in = NULL, last_doc_id = NULL, "
                + "mark_seq = NULL, copied = 0, caught_up = 0, total_estimate = EXCLUDED.total_estimate, resumes = 0, "
                + "run_base = 0, started_at = now(), run_started_at = now(), updated_at = now(), switched_at = NULL, "
                + "previous = NULL, error = NULL", alias, targetIndex, settings, totalEstimate);
    }

    /** A new run of an unfinished rebuild: back in the phase it stopped in, the error cleared. */
    void resumed(String alias) {
        jdbc.update("UPDATE archive_rebuild SET resumes = resumes + 1, phase = COALESCE(failed_in, phase), "
                + "failed_in = NULL, error = NULL, run_base = copied + caught_up, run_started_at = now(), "
                + "updated_at = now() WHERE alias = ?", alias);
    }

    /** Every change up to markSeq is, or will be after the backfill, in the new index. */
    void marked(String alias, long markSeq) {
        jdbc.update("UPDATE archive_rebuild SET mark_seq = ?, updated_at = now() WHERE alias = ?", markSeq, alias);
    }

    /** One backfill bulk is in the new index: the resume point moves past its last document. */
    void copied(String alias, String lastDocId, int documents) {
        jdbc.update("UPDATE archive_rebuild SET last_doc_id = ?, copied = copied + ?, updated_at = now() "
                + "WHERE alias = ?", lastDocId, documents, alias);
    }

    void catchingUp(String alias) {
        jdbc.update("UPDATE archive_rebuild SET phase = 'catching_up', updated_at = now() WHERE alias = ?", alias);
    }

    /** One catch-up bulk is in the new index. */
    void caughtUp(String alias, int documents) {
        jdbc.update("UPDATE archive_rebuild SET caught_up = caught_up + ?, updated_at = now() WHERE alias = ?",
                documents, alias);
    }

    void switched(String alias, String previous) {
        jdbc.update("UPDATE archive_rebuild SET phase = 'switched', switched_at = now(), previous = ?, "
                + "updated_at = now() WHERE alias = ?", previous, alias);
    }

    /** A failed run: phase failed, resumable in the phase it was in. */
    void failed(String alias, RebuildPhase in, String error) {
        jdbc.update("UPDATE archive_rebuild SET phase = 'failed', failed_in = ?, error = ?, updated_at = now() "
                + "WHERE alias = ?", in.column(), error, alias);
    }

    /** Whether a run (in any process) holds the alias's rebuild lease ({@link RebuildLease}). */
    boolean leaseHeld(String alias) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = "
                + "'advisory' AND granted AND objsubid = 2 AND classid = hashtext('dynamic-index.rebuild')::oid "
                + "AND objid = hashtext(?)::oid AND database = (SELECT oid FROM pg_database WHERE datname = "
                + "current_database()))", Boolean.class, alias));
    }

    /** Whether the archive has ever seen a document of this index name. */
    boolean archiveKnows(String alias) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM archive_document WHERE index_name = ?)", Boolean.class, alias));
    }

    /**
     * The archive's documents of this index name that are not deleted, for the progress view; null when counting
     * them fails, for instance by taking longer than the statement timeout on a very large archive, since the
     * rebuild itself does not need the number.
     */
    Long liveDocuments(String alias) {
        try {
            return jdbc.queryForObject("SELECT count(*) FROM archive_document WHERE index_name = ? AND NOT deleted",
                    Long.class, alias);
        } catch (DataAccessException e) {
            return null;
        }
    }

    private static RebuildState state(ResultSet row, int number) throws SQLException {
        String failedIn = row.getString("failed_in");
        return new RebuildState(row.getString("alias"), row.getString("target_index"), row.getString(3),
                RebuildPhase.of(row.getString("phase")), failedIn == null ? null : RebuildPhase.of(failedIn),
                row.getString("last_doc_id"), row.getObject("mark_seq", Long.class), row.getLong("copied"),
                row.getLong("caught_up"), row.getObject("total_estimate", Long.class), row.getInt("resumes"),
                row.getLong("run_base"), instant(row, "started_at"), instant(row, "run_started_at"),
                instant(row, "updated_at"), instant(row, "switched_at"), row.getString("previous"),
                row.getString("error"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
