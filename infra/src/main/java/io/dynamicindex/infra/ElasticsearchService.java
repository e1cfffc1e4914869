package io.dynamicindex.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one search engine of this JVM: {@code DI_ELASTICSEARCH_URL} when set, otherwise a real node of the
 * {@link Engine#selected() selected engine} (Elasticsearch 8.19 unless {@code -Ddi.engine} or {@code DI_ENGINE} says
 * otherwise), started once and reused by every test class of the run. Its log is target/elasticsearch-node.log.
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
            ElasticsearchEndpoint given = new ElasticsearchEndpoint(url, "environment DI_ELASTICSEARCH_URL");
            return new ElasticsearchEndpoint(url, given.describe() + " at environment DI_ELASTICSEARCH_URL");
        }
        Engine engine = Engine.selected();
        try {
            Path home = Files.createTempDirectory("di-" + engine.id() + "-");
            SearchNode node = engine.start(home, Path.of("target", "elasticsearch-node.log"), "768m");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                FileTrees.deleteQuietly(home);
            }, "search-node-shutdown"));
            ElasticsearchEndpoint started = new ElasticsearchEndpoint(node.url(), engine.product());
            return new ElasticsearchEndpoint(node.url(), started.describe() + " node started for this run (engine "
                    + engine.id() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
