package io.dynamicindex.indexer.document;

/** The five bulk phases, in the order a batch sends them. */
public enum Phase {
    PREV_DELETE, INDEX, UPDATE, DELETE, TRIGGER_DELETE
}
