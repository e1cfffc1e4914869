/** Indexer properties, their cross-field rules, and the beans built from them. */
package io.dynamicindex.indexer.config;
