package io.dynamicindex.scheduler.config;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the queue scheduler, under {@code dynamic-index.scheduler}. The reference article's
 * {@code delivery.*} keys are read too (see {@link LegacyDeliveryProperties}).
 *
 * @param source         the broker that holds the source queues. Default 127.0.0.1:5672 guest/guest.
 * @param target         the broker that holds the target (index) queues; may differ from the source.
 *                       Default 127.0.0.1:5672 guest/guest.
 * @param routes         routes by name; each moves up to messages-per-tick messages per cron tick. Default none.
 * @param window         most messages in flight per route: the source prefetch and the publish-confirm batch.
 *                       Kept at or below 2000, the prefetch cap of quorum queues. Default 1000.
 * @param confirmTimeout how long a tick waits for the target broker to confirm a window; on timeout nothing
 *                       unconfirmed is acknowledged and the tick fails. Default 10s.
 * @param receiveTimeout how long a tick waits for the next delivery before it ends early (the queue ran dry).
 *                       Default 1s.
 */
@Validated
@ConfigurationProperties("dynamic-index.scheduler")
public record SchedulerProperties(
        @DefaultValue @Valid Broker source,
        @DefaultValue @Valid Broker target,
        @DefaultValue Map<String, @Valid RouteSettings> routes,
        @DefaultValue("1000") @Positive @Max(2000) int window,
        @DefaultValue("10s") Duration confirmTimeout,
        @DefaultValue("1s") Duration receiveTimeout) {

    /**
     * One broker connection.
     *
     * @param host        host name. Default 127.0.0.1.
     * @param port        AMQP port. Default 5672.
     * @param username    user. Default guest.
     * @param password    password. Default guest.
     * @param virtualHost virtual host. Default /.
     */
    public record Broker(@DefaultValue("127.0.0.1") String host, @DefaultValue("5672") int port,
                         @DefaultValue("guest") String username, @DefaultValue("guest") String password,
                         @DefaultValue("/") String virtualHost) {
    }

    /**
     * One route.
     *
     * @param source          the source queue.
     * @param target          the target (index) queue.
     * @param cron            a six-field cron expression, seconds first, e.g. {@code * /1 * * * * *}.
     * @param messagesPerTick the most messages moved per tick (N); must be positive.
     */
    public record RouteSettings(String source, String target, String cron, Integer messagesPerTick) {
    }
}
