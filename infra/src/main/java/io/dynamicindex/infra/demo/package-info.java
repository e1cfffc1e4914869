/**
 * The one-command demo: embedded broker, Elasticsearch node and PostgreSQL, the three daemons as processes,
 * sample partner traffic, live progress and a summary. Depends on the rest of infra.
 */
package io.dynamicindex.infra.demo;
