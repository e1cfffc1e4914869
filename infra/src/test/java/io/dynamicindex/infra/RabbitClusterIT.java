package io.dynamicindex.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Proves {@link RabbitCluster} against three real nodes: they form one cluster, a quorum queue survives the SIGKILL of
 * its leader without losing a confirmed message, the killed node rejoins on restart, and {@link RabbitCluster#close()}
 * leaves no Erlang VM and no folder behind. One cluster serves the whole class, as starting one takes tens of seconds;
 * the tests run in order because the last one closes it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RabbitClusterIT {

    private static final int MESSAGES = 500;
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration REJOIN_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private static RabbitCluster cluster;
    private static String queue;

    /** Each test skips with the reason where no node can run, so that the skips show in the test report. */
    @BeforeEach
    void needsNodesOfItsOwn() {
        assumeTrue(RabbitNode.availability() == null, RabbitNode.availability());
    }

    @BeforeAll
    static void startClusterAndDeclareQuorumQueueThroughFirstNode() throws IOException {
        if (RabbitNode.availability() != null) {
            return;
        }
        long starting = System.nanoTime();
        cluster = RabbitCluster.start();
        System.out.println("[cluster] " + names() + " started and joined in " + millisSince(starting) + " ms");
        queue = TestNames.unique("cluster");
        try (Connection connection = cluster.endpoint(0).connect()) {
            connection.createChannel().queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
        }
    }

    @AfterAll
    static void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void joinsThreeRunningNodesIntoOneClusterThatHostsAQuorumQueueOnEach() {
        for (RabbitNode node : cluster.nodes()) {
            assertThat(runningNodes(node)).as("running nodes as %s sees them", node.name())
                    .containsExactlyInAnyOrderElementsOf(names());
            assertThat(node.leaderOf(queue)).as("leader of %s as %s sees it", queue, node.name()).isIn(names());
            assertThat(processesOf(node)).as("processes of %s", node.name()).isNotEmpty();
        }
        assertThat(quorumMembers(cluster.nodes().get(0), queue)).containsExactlyInAnyOrderElementsOf(names());
    }

    @Test
    @Order(2)
    void keepsEveryConfirmedMessageWhenTheLeaderIsKilledAndTheKilledNodeRejoinsOnRestart() throws Exception {
        // Given: confirmed persistent messages published through the first node
        List<String> published = IntStream.range(0, MESSAGES).mapToObj(i -> "message-" + i).toList();
        publishConfirmed(cluster.endpoint(0), published);
        RabbitNode leader = cluster.leaderOf(queue);
        RabbitNode survivor = cluster.nodes().stream().filter(node -> node != leader).findFirst().orElseThrow();
        long asking = System.nanoTime();
        survivor.leaderOf(queue);
        System.out.println("[cluster] leader of " + queue + " is " + leader.name()
                + "; one rabbitmqctl list_queues takes " + millisSince(asking) + " ms");

        // When: the leader's VM dies with SIGKILL
        leader.kill();
        long killed = System.nanoTime();

        // Then: another node leads within seconds, and a survivor delivers every message
        String newLeader = await("a leader other than the killed " + leader.name(), ELECTION_TIMEOUT,
                () -> survivor.leaderOf(queue), name -> names().contains(name) && !name.equals(leader.name()));
        System.out.println("[cluster] leader election after kill -9 of " + leader.name() + " took "
                + millisSince(killed) + " ms (observed through rabbitmqctl on " + survivor.name() + "); new leader "
                + newLeader);
        assertThat(consume(survivor.endpoint(), MESSAGES)).containsExactlyInAnyOrderElementsOf(published);

        // And: the killed node comes back on its data and is a running member again
        long restarting = System.nanoTime();
        leader.restart();
        long amqpMillis = millisSince(restarting);
        await(leader.name() + " answering for " + queue, REJOIN_TIMEOUT, () -> leader.leaderOf(queue),
                name -> names().contains(name));
        await(leader.name() + " running as " + survivor.name() + " sees it", REJOIN_TIMEOUT,
                () -> runningNodes(survivor), running -> running.containsAll(names()));
        System.out.println("[cluster] restart of " + leader.name() + " took " + amqpMillis + " ms to accept AMQP, "
                + millisSince(restarting) + " ms until it answered for " + queue + " and ran in the cluster again");
        assertThat(quorumMembers(leader, queue)).containsExactlyInAnyOrderElementsOf(names());
    }

    @Test
    @Order(3)
    void closeStopsEveryNodeAndRemovesItsFolders() {
        long closing = System.nanoTime();
        cluster.close();
        System.out.println("[cluster] close took " + millisSince(closing) + " ms");

        for (RabbitNode node : cluster.nodes()) {
            assertThat(processesOf(node)).as("processes of %s", node.name()).isEmpty();
            assertThat(node.folder()).doesNotExist();
            assertThat(Ports.answers("127.0.0.1", node.endpoint().port())).as("AMQP port of %s", node.name()).isFalse();
        }
    }

    private static void publishConfirmed(RabbitEndpoint endpoint, List<String> bodies) throws Exception {
        try (Connection connection = endpoint.connect()) {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            for (String body : bodies) {
                channel.basicPublish("", queue, MessageProperties.PERSISTENT_TEXT_PLAIN,
                        body.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(30_000);
        }
    }

    /** Gets messages one by one until expected arrived or the queue stays empty for ten seconds. */
    private static List<String> consume(RabbitEndpoint endpoint, int expected) throws Exception {
        List<String> bodies = new ArrayList<>();
        try (Connection connection = endpoint.connect()) {
            Channel channel = connection.createChannel();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (bodies.size() < expected && System.nanoTime() < deadline) {
                GetResponse response = channel.basicGet(queue, false);
                if (response == null) {
                    LockSupport.parkNanos(POLL_INTERVAL.toNanos());
                    continue;
                }
                bodies.add(new String(response.getBody(), StandardCharsets.UTF_8));
                channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            }
        }
        return bodies;
    }

    /**
     * Polls probe until done accepts its value, and returns that value; a probe that throws counts as not done yet.
     * Awaitility is not on this module's test classpath: this bounded poll stands in for it.
     */
    private static <T> T await(String what, Duration atMost, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + atMost.toNanos();
        T last = null;
        RuntimeException failure = null;
        while (true) {
            try {
                last = probe.get();
                failure = null;
                if (last != null && done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + atMost + "; last seen: " + last, failure);
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }

    private static List<String> runningNodes(RabbitNode node) {
        String status = rabbitmqctl(node, "cluster_status", "--formatter", "json");
        return nodeNames("\"running_nodes\":\\[([^\\]]*)\\]", status);
    }

    private static List<String> quorumMembers(RabbitNode node, String queue) {
        String queues = rabbitmqctl(node, "list_queues", "name", "members", "--formatter", "json");
        return nodeNames("\"name\":\"" + Pattern.quote(queue) + "\",\"members\":\\[([^\\]]*)\\]", queues);
    }

    private static List<String> nodeNames(String regex, String json) {
        Matcher matcher = Pattern.compile(regex).matcher(json);
        assertThat(matcher.find()).as("%s in %s", regex, json).isTrue();
        return Arrays.stream(matcher.group(1).split(",")).map(name -> name.replace("\"", "").trim())
                .filter(name -> !name.isEmpty()).toList();
    }

    /**
     * The processes started for a node, found by {@code RABBITMQ_NODENAME} in their environment: RabbitMQ 3.10 names
     * the node at runtime, so the node name is not on the Erlang VM's command line and {@code pgrep -f} never finds it.
     */
    private static List<String> processesOf(RabbitNode node) {
        String marker = "\0RABBITMQ_NODENAME=" + node.name() + "\0";
        return ProcessHandle.allProcesses().filter(process -> environmentContains(process.pid(), marker))
                .map(process -> process.pid() + " " + process.info().command().orElse("?")).toList();
    }

    private static boolean environmentContains(long pid, String marker) {
        try {
            Path environ = Path.of("/proc", String.valueOf(pid), "environ");
            return ("\0" + Files.readString(environ, StandardCharsets.ISO_8859_1)).contains(marker);
        } catch (IOException | SecurityException gone) {
            return false;
        }
    }

    private static String rabbitmqctl(RabbitNode node, String... arguments) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q", "-n", node.name()));
        command.addAll(List.of(arguments));
        return run(command);
    }

    /** Runs a command and returns its output. */
    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " exited with " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(command + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static List<String> names() {
        return cluster.nodes().stream().map(RabbitNode::name).toList();
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
