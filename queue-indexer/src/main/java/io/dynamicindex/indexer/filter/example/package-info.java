/** An example custom filter for a non-canonical partner format. Depends on {@code filter} and {@code document}. */
package io.dynamicindex.indexer.filter.example;
