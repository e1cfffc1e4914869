package io.dynamicindex.indexer.rebuild;

/**
 * One document's latest state in {@code archive_document}.
 *
 * @param routing  custom routing, or null
 * @param version  highest external version applied, or null when the document was never versioned
 * @param document the full source as JSON text (one line), null when deleted
 */
public record ArchiveRow(String docId, String routing, Long version, String document, boolean deleted,
                         long changeSeq) {
}
