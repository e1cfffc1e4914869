package io.dynamicindex.infra;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * One Elasticsearch 8 node started from Elastic's distribution with its own {@code bin/elasticsearch}, for the
 * engine that ships no embeddable runner. The distribution is unpacked once per machine (see
 * {@link Es8Distribution}); each node gets a home of its own (links to the shared bin, lib and modules; its own
 * config, plugins, data and logs), so tools and settings of one node never touch another's.
 *
 * <p>Elasticsearch refuses to run as root: a root JVM starts the node as the user {@code nobody}, which then owns the
 * node's home. The node runs under a small shell that stops it when this JVM's end of its standard input closes, so a
 * node never outlives the JVM that started it, even when that JVM is killed.
 */
public final class DistributionNode implements SearchNode {

    private static final Pattern STARTED = Pattern.compile("\\[o\\.e\\.n\\.Node\\s*\\] \\[[^]]*\\] started");
    private static final String RUN_AS = "nobody";
    /** Stops the node when standard input ends; exits with the node's status when the node ends first. */
    private static final String WATCHDOG = "exec 3<&0; \"$@\" </dev/null & node=$!; "
            + "(cat <&3 >/dev/null 2>&1; kill -TERM $node) >/dev/null 2>&1 & watcher=$!; "
            + "wait $node; status=$?; kill $watcher 2>/dev/null; exit $status";

    private final Path home;
    private final boolean temporaryHome;
    private final int httpPort;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private Process process;

    private DistributionNode(Path home, boolean temporaryHome, int httpPort) {
        this.home = home;
        this.temporaryHome = temporaryHome;
        this.httpPort = httpPort;
    }

    /**
     * Lays out a node's home in nodeHome (a new or empty folder) with settings for one node on 127.0.0.1: the given
     * HTTP port, single-node discovery, security off, no disk watermarks. Change settings and run tools before
     * {@link #start}. A root JVM lays the home out in a temporary folder instead, which the unprivileged user can
     * reach wherever nodeHome is, and deletes it on {@link #close()}.
     */
    public static DistributionNode prepare(int httpPort, Path nodeHome) {
        boolean temporary = Es8Distribution.runningAsRoot();
        try {
            return prepare(httpPort, temporary ? Files.createTempDirectory("di-es8-") : nodeHome, temporary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DistributionNode prepare(int httpPort, Path nodeHome, boolean temporary) {
        Path distribution = Es8Distribution.unpacked();
        try {
            Files.createDirectories(nodeHome);
            for (String shared : List.of("bin", "lib", "modules")) {
                Files.createSymbolicLink(nodeHome.resolve(shared), distribution.resolve(shared));
            }
            FileTrees.copy(distribution.resolve("config"), nodeHome.resolve("config"));
            for (String own : List.of("plugins", "data", "logs", "tmp")) {
                Files.createDirectories(nodeHome.resolve(own));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out an Elasticsearch home in " + nodeHome, e);
        }
        DistributionNode node = new DistributionNode(nodeHome, temporary, httpPort);
        node.setting("cluster.name", "dynamic-index-" + httpPort)
                .setting("node.name", "node-" + httpPort)
                .setting("network.host", "127.0.0.1")
                .setting("http.port", String.valueOf(httpPort))
                .setting("transport.port", String.valueOf(Ports.free()))
                .setting("discovery.type", "single-node")
                .setting("path.data", nodeHome.resolve("data").toString())
                .setting("path.logs", nodeHome.resolve("logs").toString())
                .setting("xpack.security.enabled", "false")
                .setting("cluster.routing.allocation.disk.threshold_enabled", "false")
                .setting("action.destructive_requires_name", "false");
        return node;
    }

    /** Sets one line of elasticsearch.yml (the value is written as given, so lists may be written [a, b]). */
    public DistributionNode setting(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** The node's own config folder (ES_PATH_CONF), where certificates and realm files go. */
    public Path configDir() {
        return home.resolve("config");
    }

    /** The node's own plugins folder. */
    public Path pluginsDir() {
        return home.resolve("plugins");
    }

    /**
     * Installs a classic plugin from a jar that carries its own plugin-descriptor.properties: jar and descriptor go to
     * plugins/NAME/, the layout elasticsearch-plugin would make from a plugin zip. Call before {@link #start}.
     */
    public DistributionNode installPlugin(Path jar) {
        try (ZipFile archive = new ZipFile(jar.toFile())) {
            ZipEntry entry = archive.getEntry("plugin-descriptor.properties");
            if (entry == null) {
                throw new IllegalArgumentException(jar + " has no plugin-descriptor.properties");
            }
            byte[] descriptor = archive.getInputStream(entry).readAllBytes();
            Properties properties = new Properties();
            properties.load(new ByteArrayInputStream(descriptor));
            Path folder = Files.createDirectories(pluginsDir().resolve(properties.getProperty("name")));
            Files.write(folder.resolve(entry.getName()), descriptor);
            Files.copy(jar, folder.resolve(jar.getFileName()));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the plugin " + jar, e);
        }
    }

    /**
     * Runs one of the distribution's tools (elasticsearch-users, elasticsearch-certutil ...) against this node's
     * config, within 2 minutes, and returns its output.
     *
     * @throws IllegalStateException when the tool fails or does not finish
     */
    public String runTool(String tool, String... arguments) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin").resolve(tool).toString()));
        command.addAll(List.of(arguments));
        try {
            Process run = withEnvironment(new ProcessBuilder(command).redirectErrorStream(true), "256m").start();
            run.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(run.getInputStream()));
            if (!run.waitFor(2, TimeUnit.MINUTES)) {
                run.destroyForcibly();
                throw new IllegalStateException(tool + " did not finish within 2 minutes");
            }
            String text = output.get(10, TimeUnit.SECONDS);
            if (run.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + run.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + tool, e);
        }
    }

    /** Writes the settings, starts the node and waits until it has started, its output appended to logFile. */
    public DistributionNode start(Path logFile, String heap) {
        List<String> command = new ArrayList<>();
        try {
            Files.writeString(configDir().resolve("elasticsearch.yml"), yaml());
            if (Es8Distribution.runningAsRoot()) {
                Es8Distribution.giveTo(RUN_AS, home);
                command.addAll(List.of("runuser", "-u", RUN_AS, "--"));
            }
            command.addAll(List.of("bash", "-c", WATCHDOG, "watchdog", home.resolve("bin/elasticsearch").toString(),
                    "-p", home.resolve("elasticsearch.pid").toString()));
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            process = withEnvironment(new ProcessBuilder(command).redirectErrorStream(true), heap).start();
            NodeOutput.awaitReady(process, logFile, line -> STARTED.matcher(line).find(),
                    "elasticsearch-node-" + httpPort, this::close);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Elasticsearch node: " + command, e);
        }
    }

    @Override
    public String url() {
        boolean tls = "true".equals(settings.get("xpack.security.http.ssl.enabled"));
        return (tls ? "https" : "http") + "://127.0.0.1:" + httpPort;
    }

    /** The node's home folder. */
    public Path home() {
        return home;
    }

    @Override
    public OptionalLong serverPid() {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(home.resolve("elasticsearch.pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void kill() {
        serverPid().stream().mapToObj(ProcessHandle::of).flatMap(Optional::stream)
                .forEach(ProcessHandle::destroyForcibly);
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /** Stops the node: closes its input (the shell then stops Elasticsearch), waits up to 30 s, then forces. */
    @Override
    public void close() {
        if (process != null) {
            stop();
        }
        if (temporaryHome) {
            FileTrees.deleteQuietly(home);
        }
    }

    private void stop() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (IOException e) {
            kill();
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    private ProcessBuilder withEnvironment(ProcessBuilder builder, String heap) {
        Map<String, String> environment = builder.environment();
        environment.put("ES_JAVA_HOME", System.getProperty("java.home"));
        environment.put("ES_PATH_CONF", configDir().toString());
        environment.put("ES_TMPDIR", home.resolve("tmp").toString());
        environment.put("ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap);
        environment.remove("JAVA_TOOL_OPTIONS");
        return builder.directory(home.toFile());
    }

    private String yaml() {
        StringBuilder yaml = new StringBuilder("# written by Dynamic Index's DistributionNode\n");
        settings.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        return yaml.toString();
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
