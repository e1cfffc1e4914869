package io.dynamicindex.indexer.consume;

import com.rabbitmq.client.Channel;

/** Receives every delivery of a consumer, on the connection's consumer thread; may block to push back. */
@FunctionalInterface
public interface DeliverySink {

    void accept(Channel channel, long deliveryTag, byte[] body);
}
