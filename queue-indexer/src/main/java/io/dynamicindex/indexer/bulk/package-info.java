/**
 * Elasticsearch bulks over the low-level REST client and the _bulk NDJSON protocol: building requests, reading every
 * item of every response, the one error-policy table that sorts each failure into stale, retry, dead-letter, halt or
 * drop, and the retry policy (shared back-off, retry budget) that resends only the failed items; which engine answers
 * (distribution, version, supported or not), read at startup and after an outage. Depends on {@code document},
 * {@code health} and the common back-off.
 */
package io.dynamicindex.indexer.bulk;
