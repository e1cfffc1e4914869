package io.dynamicindex.indexer.consume;

/** Receives every delivery of a consumer, on the connection's consumer thread; may block to push back. */
@FunctionalInterface
public interface DeliverySink {

    void accept(ChannelAcks acks, long deliveryTag, byte[] body);
}
