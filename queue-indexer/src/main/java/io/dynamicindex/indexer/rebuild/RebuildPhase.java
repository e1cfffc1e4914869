package io.dynamicindex.indexer.rebuild;

import java.util.Locale;

/** Where a rebuild stands, as column {@code archive_rebuild.phase} holds it (lower case). */
public enum RebuildPhase {

    /** Creating the new index and copying the archive's latest states into it by document id. */
    COPYING,

    /** Copying the changes that arrived since the mark, by change sequence, then switching the alias. */
    CATCHING_UP,

    /** The alias points to the new index; done. */
    SWITCHED,

    /** Stopped on an error; resumable from the phase it failed in. */
    FAILED;

    /** The column value. */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The phase of a column value. */
    public static RebuildPhase of(String column) {
        return valueOf(column.toUpperCase(Locale.ROOT));
    }
}
