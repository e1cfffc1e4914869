package io.dynamicindex.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Elasticsearch of this JVM: {@code DI_ELASTICSEARCH_URL} when set, otherwise a real 7.10.2 node started
 * once in a child JVM and reused by every test class of the run. Its log is target/elasticsearch-node.log.
 */
public final class ElasticsearchService {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchService.class);
    private static ElasticsearchEndpoint endpoint;

    private ElasticsearchService() {
    }

    public static synchronized ElasticsearchEndpoint endpoint() {
        if (endpoint == null) {
            endpoint = locate();
            LOG.info("Elasticsearch for this run: {} ({})", endpoint.url(), endpoint.origin());
        }
        return endpoint;
    }

    private static ElasticsearchEndpoint locate() {
        String url = System.getenv("DI_ELASTICSEARCH_URL");
        if (url != null && !url.isBlank()) {
            return new ElasticsearchEndpoint(url, "environment DI_ELASTICSEARCH_URL");
        }
        try {
            Path dataDir = Files.createTempDirectory("di-es-");
            ElasticsearchNodeProcess node = ElasticsearchNodeProcess.start(Ports.free(), dataDir,
                    Path.of("target", "elasticsearch-node.log"), "768m");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                FileTrees.deleteQuietly(dataDir);
            }, "es-node-shutdown"));
            return new ElasticsearchEndpoint(node.url(), "elasticsearch-cluster-runner 7.10.2 node");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
