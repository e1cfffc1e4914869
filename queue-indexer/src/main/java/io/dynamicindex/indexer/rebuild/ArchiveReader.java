package io.dynamicindex.indexer.rebuild;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Pages of {@code archive_document} for one index name: by document id for the backfill (the primary key) and by
 * change sequence for the catch-up (index {@code archive_document_seq_idx}).
 */
final class ArchiveReader {

    private static final String COLUMNS = "SELECT doc_id, routing, version, document::text, deleted, change_seq "
            + "FROM archive_document WHERE index_name = ? ";

    private final JdbcTemplate jdbc;

    ArchiveReader(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to limit documents that are not deleted, with ids after afterDocId (null: from the first), by id. */
    List<ArchiveRow> liveAfter(String alias, String afterDocId, int limit) {
        if (afterDocId == null) {
            return jdbc.query(COLUMNS + "AND NOT deleted ORDER BY doc_id LIMIT ?", ArchiveReader::row, alias, limit);
        }
        return jdbc.query(COLUMNS + "AND NOT deleted AND doc_id > ? ORDER BY doc_id LIMIT ?", ArchiveReader::row,
                alias, afterDocId, limit);
    }

    /** Up to limit rows, deleted or not, with afterSeq &lt; change_seq &le; upToSeq, by change sequence. */
    List<ArchiveRow> changedBetween(String alias, long afterSeq, long upToSeq, int limit) {
        return jdbc.query(COLUMNS + "AND change_seq > ? AND change_seq <= ? ORDER BY change_seq LIMIT ?",
                ArchiveReader::row, alias, afterSeq, upToSeq, limit);
    }

    private static ArchiveRow row(ResultSet row, int number) throws SQLException {
        return new ArchiveRow(row.getString(1), row.getString(2), row.getObject(3, Long.class), row.getString(4),
                row.getBoolean(5), row.getLong(6));
    }
}
