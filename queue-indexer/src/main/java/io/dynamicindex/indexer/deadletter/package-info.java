/** The dead-letter store in PostgreSQL: permanent failures with their original bytes, queue and reason. */
package io.dynamicindex.indexer.deadletter;
