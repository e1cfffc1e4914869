package io.dynamicindex.indexer.bulk;

import java.io.IOException;

/** Sends one _bulk body and returns the raw response; the seam that unit tests replace. */
@FunctionalInterface
public interface BulkTransport {

    /**
     * @return the HTTP status and body of the response
     * @throws IOException when no response arrived (connection refused, reset, timeout)
     */
    Response send(byte[] ndjson) throws IOException;

    /**
     * Sends one _bulk body whose answer names each applied item's {@code _version}, for a queue whose archive keeps
     * the versions Elasticsearch gave; other queues use {@link #send}, whose answer leaves them out.
     */
    default Response sendAnsweringVersions(byte[] ndjson) throws IOException {
        return send(ndjson);
    }

    /** An HTTP answer to a bulk request. */
    record Response(int status, byte[] body) {
    }
}
