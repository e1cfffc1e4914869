package io.dynamicindex.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A RabbitMQ cluster of three nodes of a test's own on this machine, each a {@link RabbitNode} (own node name, AMQP
 * and distribution ports, configuration, data and log folders; the machine's service is untouched). The nodes start
 * at once, share the {@code rabbitmq} user's Erlang cookie, and the second and third join the first with
 * {@code rabbitmqctl join_cluster}. Declare quorum queues only after {@link #start()} returns: RabbitMQ 3.10 does not
 * grow a quorum queue onto a node that joins later. Tests call {@link RabbitNode#availability()} first and skip with
 * its reason where nodes cannot run.
 */
public final class RabbitCluster implements AutoCloseable {

    private static final int SIZE = 3;

    private final List<RabbitNode> nodes;

    private RabbitCluster(List<RabbitNode> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Starts three fresh nodes in parallel and joins them into one cluster. */
    public static RabbitCluster start() {
        List<RabbitNode> nodes = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            nodes.add(RabbitNode.prepare(false));
        }
        RabbitCluster cluster = new RabbitCluster(nodes);
        try {
            CompletableFuture.allOf(nodes.stream().map(node -> CompletableFuture.runAsync(node::boot))
                    .toArray(CompletableFuture[]::new)).join();
            for (RabbitNode node : nodes.subList(1, SIZE)) {
                node.joinCluster(nodes.get(0));
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public List<RabbitNode> nodes() {
        return nodes;
    }

    /** The node of this name. */
    public RabbitNode node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name + " in " + names()));
    }

    /** Every node's AMQP address, {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}. */
    public String addresses() {
        return nodes.stream().map(RabbitNode::address).collect(Collectors.joining(","));
    }

    /** The node leading a quorum queue, asked of the first node that answers. */
    public RabbitNode leaderOf(String queue) {
        return node(ask(node -> node.leaderOf(queue)));
    }

    /** The queue's type ({@code classic}, {@code quorum}), or null when it does not exist yet. */
    public String queueType(String queue) {
        return ask(node -> node.queueType(queue));
    }

    /** Ready and unacknowledged messages of a queue, asked of the first node that answers. */
    public long[] messages(String queue) {
        return ask(node -> node.messages(queue));
    }

    /** Spring Boot properties that point a daemon at every node of the cluster. */
    public Map<String, String> springProperties() {
        return Map.of("spring.rabbitmq.addresses", addresses(), "spring.rabbitmq.username", "guest",
                "spring.rabbitmq.password", "guest");
    }

    /** queue-scheduler properties that put its source and target broker on the cluster. */
    public Map<String, String> schedulerProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String side : List.of("source", "target")) {
            properties.put("dynamic-index.scheduler." + side + ".addresses", addresses());
        }
        return properties;
    }

    /** An endpoint on one node, for a test's own clients. */
    public RabbitEndpoint endpoint(int node) {
        return nodes.get(node).endpoint();
    }

    private <T> T ask(java.util.function.Function<RabbitNode, T> question) {
        RuntimeException last = null;
        for (RabbitNode node : nodes) {
            try {
                return question.apply(node);
            } catch (RuntimeException down) {
                last = down;
            }
        }
        throw new IllegalStateException("no node of " + names() + " answers", last);
    }

    private List<String> names() {
        return nodes.stream().map(RabbitNode::name).toList();
    }

    /**
     * Stops every node, in parallel as each waits seconds for its Erlang VM to exit, and removes its folders; returns
     * once every VM of the cluster has exited.
     */
    @Override
    public void close() {
        CompletableFuture.allOf(nodes.stream().map(node -> CompletableFuture.runAsync(node::close))
                .toArray(CompletableFuture[]::new)).join();
    }
}
