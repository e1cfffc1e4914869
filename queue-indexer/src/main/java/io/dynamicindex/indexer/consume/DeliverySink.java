package io.dynamicindex.indexer.consume;

/** Receives the deliveries of a consumer, on the connection's consumer thread; may block to push back. */
public interface DeliverySink {

    /**
     * One delivery.
     *
     * @param acceptedAtMillis when the queue server accepted it (the AMQP timestamp, whole seconds), 0 if unknown.
     */
    void accept(ChannelAcks acks, long deliveryTag, long acceptedAtMillis, byte[] body);

    /**
     * The channel closed: the broker requeues every delivery it had not acknowledged, so whatever is buffered from it
     * must be discarded before its redeliveries arrive. Called before the consumer subscribes again.
     */
    void closed(ChannelAcks acks);
}
