package io.dynamicindex.indexer.config;

import java.util.Map;

import io.dynamicindex.indexer.filter.MessageFilter;

/** Every filter a queue may name: filter beans by bean name and JDBC lookup filters by their property name. */
public record FilterCatalog(Map<String, MessageFilter> byName) {
}
