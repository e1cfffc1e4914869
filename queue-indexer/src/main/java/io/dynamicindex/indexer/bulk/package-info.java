/**
 * Elasticsearch bulks over the low-level REST client and the _bulk NDJSON protocol: building requests, reading
 * every item of every response, sorting failures into retryable and permanent, and retrying only the failed items
 * with back-off. Depends on {@code document} and the common back-off.
 */
package io.dynamicindex.indexer.bulk;
