package io.dynamicindex.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides which arguments a queue is declared with on the connected broker. The {@code x-}
 * arguments ({@code x-queue-mode}, {@code x-queue-type}, {@code x-max-length}, {@code x-overflow}, quorum settings)
 * are RabbitMQ's extensions: they are kept when the broker's handshake says it is RabbitMQ and left out on any other
 * AMQP 0-9-1 broker (Qpid Broker-J refuses each of them by closing the connection), with one WARN per JVM naming
 * what was left out.
 *
 * <p>Lazy mode ({@code x-queue-mode=lazy}) writes messages to disk as they arrive instead of holding them in memory
 * and paging them out later; on RabbitMQ 3.10 it made publishing into and moving out of a backlog of 400-byte
 * persistent messages about 1.5 times as fast per broker CPU second. RabbitMQ 3.12 and later accept the argument and
 * ignore it. RabbitMQ refuses to redeclare an existing queue with other arguments, so a queue created before keeps
 * its mode; a policy ({@code queue-mode: lazy}) changes it in place.
 */
public final class QueueArguments {

    private static final Logger LOG = LoggerFactory.getLogger(QueueArguments.class);
    private static final String MODE = "x-queue-mode";
    private static final String LAZY = "lazy";
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private QueueArguments() {
    }

    /** Lazy mode, for a classic queue on RabbitMQ. */
    public static Map<String, Object> classicLazy() {
        return Map.of(MODE, LAZY);
    }

    /**
     * A quorum queue that never drops a message silently: a message delivered more than {@code deliveryLimit} times
     * (requeued by consumers over and over: poison) is dead-lettered, at least once, through the default exchange to
     * the parking queue, which must exist; publishes to a full queue are refused rather than dropping old messages.
     */
    public static Map<String, Object> quorum(int deliveryLimit, String parkingQueue) {
        return Map.of("x-queue-type", "quorum", "x-delivery-limit", deliveryLimit, "x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", parkingQueue, "x-dead-letter-strategy", "at-least-once",
                "x-overflow", "reject-publish");
    }

    /**
     * The arguments a source queue is declared with, before the broker's own rules ({@link #forBroker}), by every
     * daemon that declares one (the queue server, the outbox relay), so that their declarations match: quorum with
     * its delivery limit and parking queue, or classic and lazy when asked; a length limit refuses publishes when
     * full instead of dropping the oldest message.
     *
     * @param maxLength the queue's length limit, or null for none
     */
    public static Map<String, Object> forSourceQueue(String queue, boolean quorum, int deliveryLimit, boolean lazy,
                                                     Long maxLength) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        if (quorum) {
            arguments.putAll(quorum(deliveryLimit, parkingQueue(queue)));
        } else if (lazy) {
            arguments.putAll(classicLazy());
        }
        if (maxLength != null) {
            arguments.put("x-max-length", maxLength);
            arguments.put("x-overflow", "reject-publish");
        }
        return arguments;
    }

    /**
     * The arguments of a quorum queue's parking queue: quorum itself on a cluster, so that it survives the loss of a
     * node as the queue it serves does (a message dead-lettered to a queue that is gone would be lost), and classic
     * and lazy on a single node. It has no delivery limit of its own.
     */
    public static Map<String, Object> forParkingQueue(boolean clustered, Map<String, Object> serverProperties) {
        return forBroker(clustered ? Map.of("x-queue-type", "quorum") : classicLazy(), serverProperties);
    }

    /** The parking queue of a quorum queue: where messages over its delivery limit wait for an operator. */
    public static String parkingQueue(String queue) {
        return queue + ".parked";
    }

    /**
     * Whether the broker of a connection is RabbitMQ.
     *
     * @param serverProperties the broker's properties from the connection handshake
     */
    public static boolean isRabbitMq(Map<String, Object> serverProperties) {
        Object product = serverProperties.get("product");
        return product != null && product.toString().equals("RabbitMQ");
    }

    /**
     * The arguments to declare a queue with on this broker: all of {@code wanted} on RabbitMQ; on another broker,
     * {@code wanted} without its {@code x-} arguments, and one WARN per JVM for each argument left out.
     *
     * @param wanted           the arguments the configuration asks for
     * @param serverProperties the broker's properties from the connection handshake
     */
    public static Map<String, Object> forBroker(Map<String, Object> wanted, Map<String, Object> serverProperties) {
        if (isRabbitMq(serverProperties)) {
            return wanted;
        }
        Map<String, Object> kept = new LinkedHashMap<>(wanted);
        Set<String> leftOut = new TreeSet<>();
        for (String name : wanted.keySet()) {
            if (name.startsWith("x-")) {
                leftOut.add(name + "=" + kept.remove(name));
            }
        }
        warnOnce(leftOut, serverProperties.get("product"));
        return kept;
    }

    /**
     * The arguments for a durable classic queue that a daemon creates because it is missing: lazy on RabbitMQ, none
     * on a broker that does not know the argument.
     *
     * @param serverProperties the broker's properties from the connection handshake
     */
    public static Map<String, Object> forMissingQueue(Map<String, Object> serverProperties) {
        return forBroker(classicLazy(), serverProperties);
    }

    private static void warnOnce(Set<String> leftOut, Object product) {
        leftOut.removeIf(argument -> !WARNED.add(argument));
        if (!leftOut.isEmpty()) {
            LOG.warn("The broker is {}, not RabbitMQ: queues are declared without the RabbitMQ-only arguments {}. "
                    + "Behaviour that depends on them (lazy backlog, length limits, quorum replication, delivery "
                    + "limits) is not available on this broker.", product, leftOut);
        }
    }
}
