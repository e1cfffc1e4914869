package io.dynamicindex.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class EngineVersionTest {

    static final String ES_7_10_ROOT = """
            {
              "name" : "node-1",
              "cluster_name" : "elasticsearch",
              "cluster_uuid" : "Bz0Fq1wZSn6L1mdVtcgFtA",
              "version" : {
                "number" : "7.10.2",
                "build_flavor" : "oss",
                "build_type" : "zip",
                "build_hash" : "747e1cc71def077253878a59143c1f785afa92b9",
                "build_date" : "2021-01-13T00:42:12.435326Z",
                "build_snapshot" : false,
                "lucene_version" : "8.7.0",
                "minimum_wire_compatibility_version" : "6.8.0",
                "minimum_index_compatibility_version" : "6.0.0-beta1"
              },
              "tagline" : "You Know, for Search"
            }
            """;
    static final String ES_8_NODES = """
            {"nodes":{"x3fQbnWbSmm3a0Nk3l7W2A":{"version":"8.19.8","build_flavor":"default","build_type":"zip"}}}
            """;
    static final String OPENSEARCH_2_ROOT = """
            {
              "name" : "node-1",
              "cluster_name" : "opensearch",
              "cluster_uuid" : "k1I5TrhMQ6SqVIgXz0XgHw",
              "version" : {
                "distribution" : "opensearch",
                "number" : "2.19.1",
                "build_type" : "tar",
                "build_hash" : "2e4741fb45d1b150aaeeadf66d41445b23ff5982",
                "build_date" : "2025-02-27T01:16:47.726162386Z",
                "build_snapshot" : false,
                "lucene_version" : "9.12.1",
                "minimum_wire_compatibility_version" : "7.10.0",
                "minimum_index_compatibility_version" : "7.0.0"
              },
              "tagline" : "The OpenSearch Project: https://opensearch.org/"
            }
            """;

    @Test
    void readsElasticsearch710AndOpenSearchFromTheirRoot() {
        EngineVersion elasticsearch = EngineVersion.fromRoot(200, bytes(ES_7_10_ROOT)).orElseThrow();
        EngineVersion openSearch = EngineVersion.fromRoot(200, bytes(OPENSEARCH_2_ROOT)).orElseThrow();

        assertThat(elasticsearch).hasToString("Elasticsearch 7.10.2");
        assertThat(openSearch).hasToString("OpenSearch 2.19.1");
        assertThat(elasticsearch.supported()).isTrue();
        assertThat(openSearch.supported()).isTrue();
    }

    @Test
    void asksTheNodesWhenTheRootAnswers405AndReadsElasticsearch8There() {
        assertThat(EngineVersion.fromRoot(405, bytes("{\"error\":\"Incorrect HTTP method for uri [/]\"}")))
                .isEmpty();
        assertThat(EngineVersion.fromRoot(404, new byte[0])).isEmpty();
        assertThat(EngineVersion.fromRoot(200, bytes("{\"tagline\":\"You Know, for Search\"}"))).isEmpty();

        EngineVersion engine = EngineVersion.fromNodes(200, bytes(ES_8_NODES));

        assertThat(engine).isEqualTo(new EngineVersion("Elasticsearch", "8.19.8"));
        assertThat(engine.supported()).isTrue();
    }

    @Test
    void supportsWhatTheSuiteCoversElasticsearch710To8AndOpenSearch2() {
        assertThat(new EngineVersion("Elasticsearch", "7.17.29").supported()).isTrue();
        assertThat(new EngineVersion("Elasticsearch", "8.0.0-SNAPSHOT").supported()).isTrue();
        assertThat(new EngineVersion("OpenSearch", "2.0.0").supported()).isTrue();
        assertThat(new EngineVersion("Elasticsearch", "9.2.0").supported()).isFalse();
        assertThat(new EngineVersion("OpenSearch", "3.1.0").supported()).isFalse();
        assertThat(new EngineVersion("OpenSearch", "1.3.20").supported()).isFalse();
    }

    @Test
    void refusesElasticsearch68And79NamingWhatWasFoundAndWhatIsSupported() {
        EngineVersion six = EngineVersion.fromRoot(200, bytes(ES_7_10_ROOT.replace("7.10.2", "6.8.23"))).orElseThrow();
        EngineVersion sevenNine = EngineVersion.fromRoot(200, bytes(ES_7_10_ROOT.replace("7.10.2", "7.9.3")))
                .orElseThrow();

        assertThat(six.supported()).isFalse();
        assertThat(sevenNine.supported()).isFalse();
        assertThat(six.refusal("[http://es:9200]")).isEqualTo("Elasticsearch 6.8.23 at [http://es:9200] is not "
                + "supported: the indexer supports Elasticsearch 7.10 and later 7.x, and 8.x; OpenSearch 2.x. "
                + "Upgrade the engine, or point dynamic-index.indexer.elasticsearch.hosts at a supported one");
        assertThat(sevenNine.refusal("[http://es:9200]")).startsWith("Elasticsearch 7.9.3 at [http://es:9200] is "
                + "not supported");
    }

    @Test
    void saysClearlyWhatCameInsteadOfAnEngine() {
        assertThatThrownBy(() -> EngineVersion.fromRoot(200, bytes("<html><body>502 Bad Gateway</body></html>")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GET / answered 200 with something that is not JSON: "
                        + "<html><body>502 Bad Gateway</body></html>");
        assertThatThrownBy(() -> EngineVersion.fromRoot(401, bytes("{\"error\":\"unauthorized\"}")))
                .hasMessage("GET / answered 401: {\"error\":\"unauthorized\"}");
        assertThatThrownBy(() -> EngineVersion.fromNodes(200, bytes("{\"nodes\":{}}")))
                .hasMessage("neither GET / nor GET /_nodes/_local named a version; /_nodes/_local answered 200: "
                        + "{\"nodes\":{}}");
        assertThatThrownBy(() -> EngineVersion.fromRoot(200, bytes("{\"version\":{\"number\":\"latest\"}}")))
                .hasMessage("Elasticsearch reported the version 'latest', which is not a version number");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
