/**
 * A test-only Elasticsearch 8 plugin: the three analysis components of the analysis-common module that the
 * {@code .security} index's {@code email} analyzer names, rebuilt on the Lucene classes every node ships. Depends on
 * Elasticsearch's server jar and Lucene only, both provided by the node.
 */
package io.dynamicindex.es8analysis;
