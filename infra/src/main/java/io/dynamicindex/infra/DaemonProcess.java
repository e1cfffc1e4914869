package io.dynamicindex.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One daemon (queue-server, queue-scheduler or queue-indexer) running from its built runnable jar in its own JVM,
 * as it runs in production. Properties are passed as command-line arguments, which outrank every file. A test can
 * stop it gracefully (SIGTERM) or kill it (SIGKILL) mid-stream.
 */
public final class DaemonProcess implements AutoCloseable {

    private final String module;
    private final Process process;
    private final int port;

    private DaemonProcess(String module, Process process, int port) {
        this.module = module;
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the module's {@code target/*-exec.jar} under repositoryRoot on a free HTTP port and waits until its
     * liveness probe answers UP (dependencies such as Elasticsearch may still be down). The daemon accepts this
     * run's {@link RunTokens} on its management plane.
     *
     * @param healthPort the port of /actuator/health: 0 means the HTTP port itself
     */
    public static DaemonProcess start(Path repositoryRoot, String module, Map<String, String> properties,
                                      int healthPort, Path logFile) {
        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of(RunnerNodeProcess.javaBinary(), "-Xmx512m",
                "-jar", runnableJar(repositoryRoot, module).toString(), "--server.port=" + port));
        Map<String, String> settings = new LinkedHashMap<>(RunTokens.daemonProperties());
        settings.putAll(properties);
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            DaemonProcess daemon = new DaemonProcess(module, process, port);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, module + "-reaper"));
            daemon.awaitHealthy(healthPort == 0 ? port : healthPort, logFile);
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + module, e);
        }
    }

    /** The runnable jar that {@code mvn package} built for the module. */
    public static Path runnableJar(Path repositoryRoot, String module) {
        Path target = repositoryRoot.resolve(module).resolve("target");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "*-exec.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        } catch (IOException e) {
            throw new IllegalStateException("no " + target + "; build with mvn package first", e);
        }
        throw new IllegalStateException("no runnable jar in " + target + "; build with mvn package first");
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The operating-system process id of the daemon's JVM, to read its CPU time and memory from /proc. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void awaitHealthy(int healthPort, Path logFile) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort
                        + "/actuator/health/liveness"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + module + " started", e);
            }
            sleep(250);
        }
        kill();
        throw new IllegalStateException(module + " did not become healthy within 120 s; see " + logFile);
    }

    /** SIGTERM, then waits up to 60 s for a graceful shutdown before SIGKILL. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL: the process dies at once, as in a crash. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
