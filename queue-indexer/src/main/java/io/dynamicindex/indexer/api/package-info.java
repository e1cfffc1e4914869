/** The indexer's management HTTP API: dead letters (list, replay, purge). Depends on {@code deadletter}. */
package io.dynamicindex.indexer.api;
