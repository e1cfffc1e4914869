package io.dynamicindex.infra;

/**
 * Where an Elasticsearch (or OpenSearch) HTTP endpoint answers, and how it was found.
 *
 * @param url    base URL such as http://127.0.0.1:9250
 * @param origin "environment DI_ELASTICSEARCH_URL" or "elasticsearch-cluster-runner 7.10.2 node"
 */
public record ElasticsearchEndpoint(String url, String origin) {
}
