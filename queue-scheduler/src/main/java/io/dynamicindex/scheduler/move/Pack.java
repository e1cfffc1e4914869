package io.dynamicindex.scheduler.move;

import java.io.ByteArrayOutputStream;
import java.util.Date;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Delivery;

import io.dynamicindex.common.MessageHeaders;

/**
 * Consecutive source messages joined into one envelope for the index queue: a JSON array of their changes, in
 * their order. It carries {@code x-changes} (the changes it holds), {@code x-packed} (the messages it joins) and
 * the earliest acceptance timestamp of them, so the indexer's lag counts from the oldest change. A pack of one
 * message is published as that message, bytes and properties unchanged. Used by the tick thread only.
 */
final class Pack {

    /** Header: how many source messages one packed envelope joins. */
    static final String PACKED = "x-packed";

    private static final byte[] OPEN = {'['};
    private static final byte COMMA = ',';
    private static final byte CLOSE = ']';

    private final int maxChanges;
    private final long maxBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private Delivery first;
    private int messages;
    private long changes;
    private long elements;
    private long lastTag;
    private Date earliest;
    private boolean firstPackable;

    /**
     * @param maxChanges the most changes one pack holds; 1 publishes every message alone
     * @param maxBytes   the most bytes one pack's body holds
     */
    Pack(int maxChanges, long maxBytes) {
        this.maxChanges = maxChanges;
        this.maxBytes = maxBytes;
    }

    /** Whether the delivery can join this pack: it is packable, and it fits the change and byte limits. */
    boolean fits(JsonBody shape, int counted) {
        return shape.packable() && firstPackable && maxChanges > 1 && changes + counted <= maxChanges
                && body.size() + shape.length() + 2 <= maxBytes;
    }

    /** Adds the delivery, which {@link #fits}, or any delivery to an empty pack (it then travels alone). */
    void add(Delivery delivery, JsonBody shape, int counted) {
        if (messages == 0) {
            first = delivery;
            body.reset();
            body.writeBytes(OPEN);
            earliest = null;
            firstPackable = shape.packable();
        }
        if (shape.packable() && shape.length() > 0) {
            if (elements > 0) {
                body.write(COMMA);
            }
            body.write(delivery.getBody(), shape.from(), shape.length());
            elements += shape.changes();
        }
        Date accepted = delivery.getProperties().getTimestamp();
        if (accepted != null && (earliest == null || accepted.before(earliest))) {
            earliest = accepted;
        }
        messages++;
        changes += counted;
        lastTag = delivery.getEnvelope().getDeliveryTag();
    }

    /**
     * Whether a message of this many changes could join any pack, so that its body is worth reading: not when
     * packing is off, nor when the message alone fills a pack (a partner request's envelope of 100, typically).
     */
    boolean mayJoin(int counted) {
        return maxChanges > 1 && counted < maxChanges;
    }

    /** Whether nothing more can join: the change limit is reached, or the message held is not packable. */
    boolean full() {
        return changes >= maxChanges || messages == 1 && !firstPackable;
    }

    boolean isEmpty() {
        return messages == 0;
    }

    /** Messages held. */
    int messages() {
        return messages;
    }

    /** Changes held, as the throttle counts them. */
    long changes() {
        return changes;
    }

    /** The source delivery tag of the last message held: acknowledging it acknowledges the whole pack. */
    long lastTag() {
        return lastTag;
    }

    /** The properties to publish with: the single message's own, or those of an envelope. */
    AMQP.BasicProperties properties() {
        if (messages == 1) {
            return first.getProperties();
        }
        return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                .timestamp(earliest).headers(Map.of(MessageHeaders.CHANGES, elements, PACKED, messages)).build();
    }

    /** The bytes to publish: the single message's own, or the joined array. */
    byte[] body() {
        if (messages == 1) {
            return first.getBody();
        }
        body.write(CLOSE);
        return body.toByteArray();
    }

    /** Empties the pack for the next one. */
    void clear() {
        messages = 0;
        changes = 0;
        elements = 0;
        first = null;
    }
}
