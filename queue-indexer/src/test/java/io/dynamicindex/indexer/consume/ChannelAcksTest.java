package io.dynamicindex.indexer.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

class ChannelAcksTest {

    private final List<String> sent = new ArrayList<>();
    private boolean open = true;
    private final ChannelAcks acks = new ChannelAcks(recordingChannel());

    @Test
    void oneMultipleAckCoversEverySettledDelivery() {
        deliver(1, 2, 3);
        acks.settled(2);
        acks.settled(1);
        acks.settled(3);
        acks.flush();

        assertThat(sent).containsExactly("ack 3 multiple");
    }

    @Test
    void aDeliveryStillOpenHoldsBackTheAckOfLaterOnes() {
        deliver(1, 2, 3, 4);
        acks.settled(1);
        acks.settled(3);
        acks.settled(4);
        acks.flush();
        acks.settled(2);
        acks.flush();

        assertThat(sent).containsExactly("ack 1 multiple", "ack 4 multiple");
    }

    @Test
    void nothingOpenAndNothingSettledSendsNothing() {
        deliver(1);
        acks.flush();
        acks.settled(1);
        acks.flush();
        acks.flush();

        assertThat(sent).containsExactly("ack 1 multiple");
    }

    @Test
    void recyclingAnOpenChannelAbortsItSoTheBrokerRequeues() {
        acks.recycle("a worker failed");

        assertThat(sent).containsExactly("abort 200");
    }

    @Test
    void recyclingAClosedChannelDoesNothing() {
        open = false;
        acks.recycle("a worker failed");

        assertThat(acks.isOpen()).isFalse();
        assertThat(sent).isEmpty();
    }

    private void deliver(long... tags) {
        for (long tag : tags) {
            acks.delivered(tag);
        }
    }

    private Channel recordingChannel() {
        return (Channel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Channel.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "basicAck" -> sent.add("ack " + args[0] + ((boolean) args[1] ? " multiple" : ""));
                        case "abort" -> sent.add("abort " + args[0]);
                        case "isOpen" -> {
                            return open;
                        }
                        case "getChannelNumber" -> {
                            return 1;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }
}
