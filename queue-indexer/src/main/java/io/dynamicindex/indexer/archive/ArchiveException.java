package io.dynamicindex.indexer.archive;

/** PostgreSQL did not take a batch's archive write; the batch is retried as a whole. */
public class ArchiveException extends RuntimeException {

    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
