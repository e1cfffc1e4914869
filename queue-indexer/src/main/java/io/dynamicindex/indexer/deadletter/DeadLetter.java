package io.dynamicindex.indexer.deadletter;

/**
 * A message the indexer will not retry.
 *
 * @param queue     the queue it came from, where a replay re-publishes it
 * @param message   the original message bytes
 * @param operation the failed operation ("INDEX products/P-1"), or null when the message never became one
 * @param index     the document's index, or null
 * @param id        the document's id, or null
 * @param errorType a short class: malformed_json, rejected, or Elasticsearch's error type
 * @param reason    the full reason
 */
public record DeadLetter(String queue, byte[] message, String operation, String index, String id, String errorType,
                         String reason) {
}
