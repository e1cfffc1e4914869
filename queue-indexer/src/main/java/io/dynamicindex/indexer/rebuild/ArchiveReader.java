package io.dynamicindex.indexer.rebuild;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Pages of {@code archive_document} for one index name: by document id for the backfill (the primary key; live documents and versioned tombstones) and by
 * change sequence for the catch-up (index {@code archive_document_seq_idx}).
 */
final class ArchiveReader {

    private static final String COLUMNS = "SELECT doc_id, routing, version, document::text, deleted, change_seq "
            + "FROM archive_document WHERE index_name = ? ";
    private static final String TO_COPY = "(NOT deleted OR version IS NOT NULL) ";

    private final JdbcTemplate jdbc;

    ArchiveReader(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Up to limit rows the backfill copies, with ids after afterDocId (null: from the first), by id: the documents
     * that are not deleted, and the tombstones that hold a version, so that the new index, like the old one, refuses
     * an older version of a deleted document (for as long as Elasticsearch keeps tombstones, index.gc_deletes).
     */
    List<ArchiveRow> toCopyAfter(String alias, String afterDocId, int limit) {
        if (afterDocId == null) {
            return jdbc.query(COLUMNS + "AND " + TO_COPY + "ORDER BY doc_id LIMIT ?", ArchiveReader::row, alias,
                    limit);
        }
        return jdbc.query(COLUMNS + "AND " + TO_COPY + "AND doc_id > ? ORDER BY doc_id LIMIT ?", ArchiveReader::row,
                alias, afterDocId, limit);
    }

    /** Up to limit rows, deleted or not, with afterSeq &lt; change_seq &le; upToSeq, by change sequence. */
    List<ArchiveRow> changedBetween(String alias, long afterSeq, long upToSeq, int limit) {
        return jdbc.query(COLUMNS + "AND change_seq > ? AND change_seq <= ? ORDER BY change_seq LIMIT ?",
                ArchiveReader::row, alias, afterSeq, upToSeq, limit);
    }

    /** The ids among the given ones that have no live (not deleted) row of the alias. */
    List<String> withoutLiveRow(String alias, List<String> ids) {
        return jdbc.queryForList("SELECT id FROM unnest(?::text[]) WITH ORDINALITY AS t(id, position) WHERE NOT "
                + "EXISTS (SELECT 1 FROM archive_document a WHERE a.index_name = ? AND a.doc_id = t.id AND NOT "
                + "a.deleted) ORDER BY position", String.class, ids.toArray(String[]::new), alias);
    }

    private static ArchiveRow row(ResultSet row, int number) throws SQLException {
        return new ArchiveRow(row.getString(1), row.getString(2), row.getObject(3, Long.class), row.getString(4),
                row.getBoolean(5), row.getLong(6));
    }
}
