package io.dynamicindex.indexer.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

class ChannelAcksTest {

    private final List<String> sent = new ArrayList<>();
    private final ChannelAcks acks = new ChannelAcks(recordingChannel());

    @Test
    void oneMultipleAckCoversEverySettledDelivery() {
        deliver(1, 2, 3);
        acks.settled(2, true);
        acks.settled(1, true);
        acks.settled(3, true);
        acks.flush();

        assertThat(sent).containsExactly("ack 3 multiple");
    }

    @Test
    void aDeliveryStillOpenHoldsBackTheAckOfLaterOnes() {
        deliver(1, 2, 3, 4);
        acks.settled(1, true);
        acks.settled(3, true);
        acks.settled(4, true);
        acks.flush();
        acks.settled(2, true);
        acks.flush();

        assertThat(sent).containsExactly("ack 1 multiple", "ack 4 multiple");
    }

    @Test
    void nothingOpenAndNothingSettledSendsNothing() {
        deliver(1);
        acks.flush();
        acks.settled(1, true);
        acks.flush();
        acks.flush();

        assertThat(sent).containsExactly("ack 1 multiple");
    }

    @Test
    void aRequeuedDeliveryIsNackedAtOnceAndNeverCoveredByAnAckTag() {
        deliver(1, 2, 3);
        acks.settled(1, true);
        acks.settled(3, false);
        acks.settled(2, true);
        acks.flush();

        assertThat(sent).containsExactly("nack 3 requeue", "ack 2 multiple");
    }

    @Test
    void onlyRequeuedDeliveriesSendNoAck() {
        deliver(1, 2);
        acks.settled(1, false);
        acks.settled(2, false);
        acks.flush();

        assertThat(sent).containsExactly("nack 1 requeue", "nack 2 requeue");
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
                        case "basicNack" -> sent.add("nack " + args[0] + ((boolean) args[2] ? " requeue" : ""));
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }
}
