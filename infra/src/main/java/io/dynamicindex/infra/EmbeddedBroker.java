package io.dynamicindex.infra;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.qpid.server.SystemLauncher;

/**
 * An in-process Apache Qpid Broker-J speaking AMQP 0-9-1 with an in-memory store, guest/guest over PLAIN.
 * It stands in for RabbitMQ where none runs: the demo's default broker and the tests' last resort.
 * Messages do not survive the process.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final SystemLauncher launcher;
    private final int port;

    private EmbeddedBroker(SystemLauncher launcher, int port) {
        this.launcher = launcher;
        this.port = port;
    }

    /** Starts a broker listening on 127.0.0.1:port. */
    public static EmbeddedBroker start(int port) {
        URL config = EmbeddedBroker.class.getResource("/qpid-embedded.json");
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("type", "Memory");
        attributes.put("initialConfigurationLocation", config.toExternalForm());
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put("context", Map.of("qpid.amqp_port", String.valueOf(port),
                "qpid.work_dir", System.getProperty("java.io.tmpdir") + "/qpid-" + port));
        SystemLauncher launcher = new SystemLauncher();
        try {
            launcher.startup(attributes);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Qpid broker did not start on port " + port, e);
        }
        return new EmbeddedBroker(launcher, port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        launcher.shutdown();
    }

    /** Runs a broker until the process is stopped. Argument: the AMQP port (default 5673). */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 5673;
        EmbeddedBroker broker = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-broker-shutdown"));
        System.out.println("READY " + port);
        new CountDownLatch(1).await();
    }
}
