package io.dynamicindex.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Elasticsearch 7.10.2 node in a child JVM, started from the es-node module's classpath file so that no
 * Elasticsearch server jar lands on the caller's classpath. The node stops when {@link #close()} is called or when
 * this JVM dies (its standard input closes).
 */
public final class ElasticsearchNodeProcess implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "/es-node.classpath";
    private static final String MAIN_CLASS = "io.dynamicindex.esnode.ElasticsearchNodeMain";

    private final Process process;
    private final int httpPort;

    private ElasticsearchNodeProcess(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /** Starts a node on the given HTTP port, with data under dataDir, its output appended to logFile. */
    public static ElasticsearchNodeProcess start(int httpPort, Path dataDir, Path logFile, String heap) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms" + heap, "-Xmx" + heap,
                "-Dlog4j2.formatMsgNoLookups=true", "-cp", classpath(), MAIN_CLASS,
                String.valueOf(httpPort), String.valueOf(Ports.free()), dataDir.toString()));
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .start();
            ElasticsearchNodeProcess node = new ElasticsearchNodeProcess(process, httpPort);
            node.awaitReady(logFile);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Elasticsearch node: " + command, e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    private void awaitReady(Path logFile) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> pumpOutput(logFile, ready), "es-node-output-" + httpPort);
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(180, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while the Elasticsearch node started", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("Elasticsearch node did not become ready; see " + logFile, e);
        }
    }

    private void pumpOutput(Path logFile, CompletableFuture<Void> ready) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true)) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.println(line);
                if (line.startsWith("READY ")) {
                    ready.complete(null);
                }
            }
            ready.completeExceptionally(new IllegalStateException("node exited with " + process.waitFor()));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ready.completeExceptionally(e);
        }
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

    /** Kills the node at once, as a crash would. */
    public void kill() {
        process.destroyForcibly();
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classpath() {
        URL resource = ElasticsearchNodeProcess.class.getResource(CLASSPATH_RESOURCE);
        if (resource == null) {
            throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build the es-node module first");
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
            throw new IllegalStateException("cannot locate the es-node launcher from " + external, e);
        }
    }
}
