package io.dynamicindex.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node of an embeddable runner (codelibs' Elasticsearch 7.10.2 cluster runner or OpenSearch 2.19 runner) in a
 * child JVM, started from its launcher module's classpath file so that no server jar lands on the caller's
 * classpath. The node stops when {@link #close()} is called or when this JVM dies (its standard input closes).
 */
public final class RunnerNodeProcess implements SearchNode {

    /** The es-node module: Elasticsearch 7.10.2. */
    static final Launcher ES7 = new Launcher("/es-node.classpath", "io.dynamicindex.esnode.ElasticsearchNodeMain");
    /** The opensearch-node module: OpenSearch 2.19. */
    static final Launcher OPENSEARCH2 = new Launcher("/opensearch-node.classpath",
            "io.dynamicindex.osnode.OpenSearchNodeMain");

    /** A launcher module: the classpath file it writes into its jar, and its main class. */
    record Launcher(String classpathResource, String mainClass) {
    }

    private final Process process;
    private final int httpPort;

    private RunnerNodeProcess(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /** Starts a node on the given HTTP port, with data under dataDir, its output appended to logFile. */
    static RunnerNodeProcess start(Launcher launcher, int httpPort, Path dataDir, Path logFile, String heap) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms" + heap, "-Xmx" + heap,
                "-Dlog4j2.formatMsgNoLookups=true", "-cp", classpath(launcher.classpathResource()),
                launcher.mainClass(), String.valueOf(httpPort), String.valueOf(Ports.free()), dataDir.toString()));
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .start();
            RunnerNodeProcess node = new RunnerNodeProcess(process, httpPort);
            NodeOutput.awaitReady(process, logFile, line -> line.startsWith("READY "), "search-node-" + httpPort,
                    node::close);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the search node: " + command, e);
        }
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Stops the node: closes its input, then waits up to 30 s before forcing. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public java.util.OptionalLong serverPid() {
        return java.util.OptionalLong.of(process.pid());
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classpath(String classpathResource) {
        URL resource = RunnerNodeProcess.class.getResource(classpathResource);
        if (resource == null) {
            throw new IllegalStateException(classpathResource + " is missing: build its launcher module first");
        }
        try (var in = resource.openStream()) {
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return launcherLocation(resource) + java.io.File.pathSeparator + dependencies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String launcherLocation(URL resource) {
        String external = resource.toExternalForm();
        try {
            if (external.startsWith("jar:")) {
                String jar = external.substring("jar:".length(), external.indexOf("!/"));
                return Path.of(new URL(jar).toURI()).toString();
            }
            return Path.of(resource.toURI()).getParent().toString();
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot locate the node launcher from " + external, e);
        }
    }
}
