package io.dynamicindex.indexer.document;

/** One Elasticsearch document: its index and id. */
public record DocumentKey(String index, String id) {

    @Override
    public String toString() {
        return index + "/" + id;
    }
}
