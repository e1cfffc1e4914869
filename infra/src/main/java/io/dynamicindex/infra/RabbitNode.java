package io.dynamicindex.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ node of a test's own, started from the machine's {@code rabbitmq-server} on its own ports, node name,
 * data and log folders, so that a test may stop, restart or alarm a broker without touching the machine's service.
 * Its folders live under the system temporary folder and belong to the {@code rabbitmq} user, as the server needs.
 * Tests that need it call {@link #availability()} first and skip with its reason where the node cannot run (no
 * {@code rabbitmq-server}, or not root).
 */
public final class RabbitNode implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final int amqpPort;
    private final Path base;
    private final Map<String, String> environment;
    private final int managementPort;

    private RabbitNode(String name, int amqpPort, Path base, Map<String, String> environment, int managementPort) {
        this.name = name;
        this.amqpPort = amqpPort;
        this.base = base;
        this.environment = environment;
        this.managementPort = managementPort;
    }

    /** Null when a node can be started here, otherwise why not. */
    public static String availability() {
        if (!Files.isExecutable(Path.of("/usr/sbin/rabbitmq-server"))) {
            return "no rabbitmq-server on this machine to start a RabbitMQ node of the test's own";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "starting a RabbitMQ node of the test's own needs root (its folders belong to the rabbitmq user)";
        }
        return null;
    }

    /** Starts a fresh node and waits until it accepts AMQP connections. */
    public static RabbitNode start() {
        return start(false);
    }

    /**
     * Starts a fresh node with the management plugin on a free port of 127.0.0.1 ({@link #managementUrl()}), its
     * statistics refreshed every half second, and waits until it accepts AMQP connections.
     */
    public static RabbitNode startWithManagement() {
        return start(true);
    }

    private static RabbitNode start(boolean management) {
        RabbitNode node = prepare(management);
        node.boot();
        return node;
    }

    /** A node with its folders and configuration written, not started yet. */
    static RabbitNode prepare(boolean management) {
        String name = TestNames.unique("di") + "@localhost";
        int amqpPort = Ports.free();
        int managementPort = management ? Ports.free() : 0;
        try {
            Path base = Files.createTempDirectory("rabbit-node-");
            Files.createDirectories(base.resolve("mnesia"));
            Files.createDirectories(base.resolve("log"));
            Files.writeString(base.resolve("rabbitmq.conf"), "listeners.tcp.local = 127.0.0.1:" + amqpPort + "\n"
                    + "loopback_users = none\n" + (management ? "management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = "
                    + managementPort + "\ncollect_statistics_interval = 500\n" : ""));
            Files.writeString(base.resolve("enabled_plugins"), management ? "[rabbitmq_management].\n" : "[].\n");
            run(List.of("chown", "-R", "rabbitmq:rabbitmq", base.toString()), Map.of());
            RabbitNode node = new RabbitNode(name, amqpPort, base, Map.of(
                    "RABBITMQ_CONFIG_FILE", base.resolve("rabbitmq.conf").toString(),
                    "RABBITMQ_NODENAME", name,
                    "RABBITMQ_NODE_PORT", String.valueOf(amqpPort),
                    "RABBITMQ_DIST_PORT", String.valueOf(Ports.free()),
                    "RABBITMQ_MNESIA_BASE", base.resolve("mnesia").toString(),
                    "RABBITMQ_LOG_BASE", base.resolve("log").toString(),
                    "RABBITMQ_ENABLED_PLUGINS_FILE", base.resolve("enabled_plugins").toString()), managementPort);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a RabbitMQ node's folders", e);
        }
    }

    /** The management HTTP API's base URL; only for a node from {@link #startWithManagement()}. */
    public String managementUrl() {
        if (managementPort == 0) {
            throw new IllegalStateException("this node runs without the management plugin");
        }
        return "http://127.0.0.1:" + managementPort;
    }

    /** The Erlang node name, {@code di...@localhost}. */
    public String name() {
        return name;
    }

    /** {@code 127.0.0.1:<amqp port>}, as an entry of an address list. */
    public String address() {
        return "127.0.0.1:" + amqpPort;
    }

    /** The node's own folder (configuration, data and logs), which {@link #close()} removes. */
    Path folder() {
        return base;
    }

    public RabbitEndpoint endpoint() {
        return new RabbitEndpoint("127.0.0.1", amqpPort, "guest", "guest", "test node " + name);
    }

    /**
     * Stops the node (its data stays), as a broker restart or outage would; returns once its Erlang VM has exited
     * ({@code rabbitmqctl shutdown}: {@code stop} returns while the VM still runs, which a quick {@link #restart()}
     * under the same node name, or the removal of its folders, would race with).
     */
    public void stop() {
        ctl("shutdown");
    }

    /** Starts the stopped node again on the same ports and data: durable queues and persistent messages are back. */
    public void restart() {
        boot();
    }

    /**
     * Kills the node's Erlang VM with SIGKILL, as a crashed machine would: nothing is flushed, no peer or client is
     * told; returns once its AMQP port no longer answers. {@link #restart()} starts it again on the same data.
     */
    public void kill() {
        String pid = ctlOutput("eval", "os:getpid().").trim().replace("\"", "");
        run(List.of("kill", "-9", pid), Map.of());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (Ports.answers("127.0.0.1", amqpPort) && System.nanoTime() < deadline) {
            sleep(100);
        }
    }

    /** Makes this fresh, running node a member of the seed's cluster ({@code rabbitmqctl join_cluster}). */
    void joinCluster(RabbitNode seed) {
        ctl("stop_app");
        ctl("join_cluster", seed.name);
        ctl("start_app");
        ctl("await_startup");
    }

    /**
     * The node that leads a quorum queue now, as this node sees it ({@code rabbitmqctl list_queues name leader}), or
     * null when the queue is not found or is not a quorum queue.
     */
    public String leaderOf(String queue) {
        return queueInfo(queue, "leader");
    }

    /** The queue's type ({@code classic}, {@code quorum}), or null when the queue is not found. */
    public String queueType(String queue) {
        return queueInfo(queue, "type");
    }

    /** One info item of a queue ({@code rabbitmqctl list_queues name <item>}), or null when it has none. */
    private String queueInfo(String queue, String item) {
        for (String line : ctlOutput("list_queues", "-q", "--no-table-headers", "name", item).split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 2 && fields[0].equals(queue)) {
                return fields[1];
            }
        }
        return null;
    }

    /** Raises a memory alarm: the node blocks every connection that publishes, until {@link #clearAlarm()}. */
    public void raiseMemoryAlarm() {
        ctl("set_vm_memory_high_watermark", "0.0000001");
    }

    public void clearAlarm() {
        ctl("set_vm_memory_high_watermark", "0.4");
    }

    /**
     * Ready and unacknowledged messages of a queue, as the node counts them (rabbitmqctl list_queues); zeros when
     * the queue does not exist.
     */
    public long[] messages(String queue) {
        String output = ctlOutput("list_queues", "-q", "--no-table-headers", "name", "messages_ready",
                "messages_unacknowledged");
        for (String line : output.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 3 && fields[0].equals(queue)) {
                return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])};
            }
        }
        return new long[] {0, 0};
    }

    void boot() {
        run(List.of("rabbitmq-server", "-detached"), environment);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (endpoint().answers()) {
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException("RabbitMQ node " + name + " did not accept AMQP on port " + amqpPort
                + " within " + START_TIMEOUT + "; see " + base.resolve("log"));
    }

    private void ctl(String... arguments) {
        ctlOutput(arguments);
    }

    private String ctlOutput(String... arguments) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-n", name));
        command.addAll(List.of(arguments));
        return run(command, Map.of());
    }

    private static String run(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the node, waits for its Erlang VM to exit, and removes its folders. */
    @Override
    public void close() {
        try {
            ctl("shutdown");
        } catch (RuntimeException alreadyStopped) {
            // stopped by the test
        }
        FileTrees.deleteQuietly(base);
    }
}
