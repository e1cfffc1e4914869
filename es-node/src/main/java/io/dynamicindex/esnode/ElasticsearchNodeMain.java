package io.dynamicindex.esnode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;
import org.elasticsearch.common.settings.Settings;

/**
 * Runs one Elasticsearch 7.10.2 node until its standard input closes or it is told to stop.
 *
 * <p>Arguments: {@code <http-port> <transport-port> <data-dir>}. The node prints {@code READY <http-port>} once the
 * cluster is yellow. It exits when standard input reaches end-of-file, so that a node started by a test JVM never
 * outlives that JVM, even when the JVM is killed. The caller sets index defaults (0 replicas) over HTTP.
 */
public final class ElasticsearchNodeMain {

    private ElasticsearchNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        int httpPort = Integer.parseInt(args[0]);
        int transportPort = Integer.parseInt(args[1]);
        Path dataDir = Path.of(args[2]);
        ElasticsearchClusterRunner runner = start(httpPort, transportPort, dataDir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(runner), "es-node-shutdown"));
        System.out.println("READY " + httpPort);
        System.out.flush();
        waitForEndOfInput();
        System.exit(0);
    }

    private static ElasticsearchClusterRunner start(int httpPort, int transportPort, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        runner.setMaxHttpPort(httpPort);
        runner.onBuild((number, settings) -> configure(settings, httpPort, transportPort))
                .build(ElasticsearchClusterRunner.newConfigs()
                        .numOfNode(1)
                        .baseHttpPort(httpPort - 1)
                        .basePath(dataDir.toString())
                        .clusterName("dynamic-index-" + httpPort)
                        .disableESLogger());
        runner.ensureYellow();
        return runner;
    }

    private static void configure(Settings.Builder settings, int httpPort, int transportPort) {
        settings.put("http.port", httpPort);
        settings.put("transport.port", transportPort);
        settings.put("network.host", "127.0.0.1");
        settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
        settings.put("action.auto_create_index", true);
    }

    private static void waitForEndOfInput() {
        try {
            while (System.in.read() >= 0) {
                // input is ignored: only its end matters
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void close(ElasticsearchClusterRunner runner) {
        try {
            runner.close();
        } catch (IOException e) {
            System.err.println("Elasticsearch node did not close cleanly: " + e);
        }
    }
}
