package io.dynamicindex.indexer.archive;

import tools.jackson.databind.JsonNode;

/**
 * What the archive holds for one document.
 *
 * @param routing  custom routing of its last write, or null
 * @param version  the highest external version applied to it, or null when no versioned change reached it
 * @param document its full source; null when deleted
 */
public record DocumentState(String routing, Long version, JsonNode document) {

    public static final DocumentState ABSENT = new DocumentState(null, null, null);

    public boolean deleted() {
        return document == null;
    }
}
