package io.dynamicindex.scheduler.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMin;
import com.rabbitmq.client.Address;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the queue scheduler, under {@code dynamic-index.scheduler}. The reference article's
 * {@code delivery.*} keys are read too (see {@link LegacyDeliveryProperties}). A key under this prefix that binds
 * to nothing, such as a misspelling, fails startup.
 *
 * @param source         the broker that holds the source queues. Default 127.0.0.1:5672 guest/guest.
 * @param target         the broker that holds the target (index) queues; may differ from the source.
 *                       Default 127.0.0.1:5672 guest/guest.
 * @param defaults       cron and messages-per-tick for every route that does not set its own. Default none.
 * @param routes         routes by name; each moves up to messages-per-tick messages per cron tick. Default none.
 * @param window         most messages in flight per route: the source prefetch, so the most messages taken from
 *                       the source and not yet confirmed by the target and acknowledged. Kept at or below 2000, the
 *                       prefetch cap of quorum queues. Default 2000 (about 16,500 moves/s against 13,300 at 1000).
 *                       A crash moves at most this many messages twice.
 * @param confirmTimeout how long a tick waits for the target broker to confirm anything of what it published; on
 *                       timeout nothing unconfirmed is acknowledged, it goes back to the source and the tick fails.
 *                       Default 10s.
 * @param receiveTimeout how long a tick waits for the next delivery before it ends early (the queue ran dry).
 *                       Default 1s.
 * @param lease          how long an instance keeps a route after it last started a tick of it (a ShedLock row in
 *                       PostgreSQL); only the holder moves the route. When the holder dies, another instance takes
 *                       the route over on its first tick after the lease ran out, so within lease plus one cron
 *                       interval. A tick ends one second before its lease does, whatever happens, and stops taking
 *                       messages two confirm-timeouts before that, so the lease must be at least twice
 *                       confirm-timeout plus 2 s. Default 30s.
 * @param maxMessagesPerTick the largest messages-per-tick (N) a route may have, in the properties or changed at
 *                           runtime: a route above it fails startup and such a change answers 400, so that a typo
 *                           cannot turn the throttle off. Default 100000.
 * @param cronHorizon    how soon a route's cron must fire next: a cron whose next time is further from now than
 *                       this (once a year, or on 29 February) fails startup and such a change answers 400. Default
 *                       7d, so that daily and weekly crons pass.
 * @param indexer        the indexer whose back-pressure adaptive routes watch. Default none.
 * @param pack           how a tick joins consecutive source messages into envelopes for the index queue.
 */
@Validated
@ConfigurationProperties(prefix = "dynamic-index.scheduler", ignoreUnknownFields = false)
public record SchedulerProperties(
        @DefaultValue @Valid Broker source,
        @DefaultValue @Valid Broker target,
        @DefaultValue RouteDefaults defaults,
        @DefaultValue Map<String, @Valid RouteSettings> routes,
        @DefaultValue("2000") @Positive @Max(2000) int window,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration confirmTimeout,
        @DefaultValue("1s") @DurationMin(millis = 1) Duration receiveTimeout,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration lease,
        @DefaultValue("100000") @Positive int maxMessagesPerTick,
        @DefaultValue("7d") @DurationMin(millis = 1) Duration cronHorizon,
        @DefaultValue Indexer indexer,
        @DefaultValue @Valid Pack pack) {

    /**
     * One broker connection.
     *
     * @param host        host name. Default 127.0.0.1.
     * @param port        AMQP port. Default 5672.
     * @param username    user. Default guest.
     * @param password    password. Default guest.
     * @param virtualHost virtual host. Default /.
     * @param addresses   the AMQP addresses ({@code host:port}) of a cluster's nodes, tried in order on every
     *                    (re)connect, so that the scheduler goes on through any live node; when set, host and port
     *                    are not used, and a missing index queue is created as a quorum queue (with a parking queue)
     *                    when there are several. Default: none (host and port).
     */
    public record Broker(@DefaultValue("127.0.0.1") String host, @DefaultValue("5672") int port,
                         @DefaultValue("guest") String username, @DefaultValue("guest") String password,
                         @DefaultValue("/") String virtualHost, @DefaultValue List<String> addresses) {

        /** The addresses to connect to, in order: {@code addresses}, or host and port. */
        public List<Address> amqpAddresses() {
            return addresses.isEmpty() ? List.of(new Address(host, port))
                    : addresses.stream().map(String::trim).map(Address::parseAddress).toList();
        }

        /** Whether this broker is a cluster of several nodes, as far as its addresses tell. */
        public boolean clustered() {
            return amqpAddresses().size() > 1;
        }

        /** Never the password: the plan that holds brokers is logged at startup. */
        @Override
        public String toString() {
            return "Broker[" + username + "@" + amqpAddresses() + virtualHost + ", password=(not shown)]";
        }
    }

    /**
     * Values that a route takes when it does not set its own.
     *
     * @param cron            a six-field cron expression, seconds first. Default none.
     * @param messagesPerTick the most changes moved per tick (N); an envelope counts its changes. Default none.
     */
    public record RouteDefaults(String cron, Integer messagesPerTick) {
    }

    /**
     * One route.
     *
     * @param source          the source queue. Required.
     * @param target          the target (index) queue. Required.
     * @param cron            a six-field cron expression, seconds first, e.g. {@code 0/5 * * * * *}. Default
     *                        {@code defaults.cron}.
     * @param messagesPerTick the changes moved per tick (N), from 1 to {@code max-messages-per-tick}: a message counts
     *                        its {@code x-changes} header, else its JSON array's length, else 1. An envelope larger
     *                        than what is left of a tick moves whole and its excess comes off the next tick, so the
     *                        rate over time is exactly N per tick. Default {@code defaults.messages-per-tick}.
     * @param adaptive        lowers the tick's budget under N while the index queue or the indexer is behind. Default
     *                        off.
     */
    public record RouteSettings(String source, String target, String cron, Integer messagesPerTick,
                                @Valid Adaptive adaptive) {
    }

    /**
     * The adaptive throttle of one route: N stays the upper bound. Each tick the budget halves while the index
     * queue holds more ready messages than {@code target-depth}, or the indexer reports back-pressure on it
     * (backing off, halted, or bulk retries since the last tick; needs {@code dynamic-index.scheduler.indexer.url}),
     * and grows back by a tenth of N per tick once neither holds.
     *
     * @param targetDepth ready messages in the index queue above which the budget halves; a pack ({@code pack}) is one
     *                    message. Required.
     * @param minimum     the budget never goes below this many changes per tick. Default 1.
     */
    public record Adaptive(@NotNull @Positive Long targetDepth, @DefaultValue("1") @Positive int minimum) {
    }

    /**
     * Packing: a tick publishes consecutive messages it takes from a source queue as one envelope (a JSON array of
     * their changes, in their order, with {@code x-changes}, {@code x-packed} and the earliest timestamp), so the index
     * queue and the indexer handle one message where there were many. Only messages that are one JSON object or one
     * array of objects join; anything else travels alone, unchanged, and so does a message larger than the limits.
     * The per-request headers ({@code x-partner}, {@code x-request-id}) of joined messages are not carried. Packing
     * never waits: a pack goes out when full or when no further message is already delivered.
     *
     * @param maxChanges most changes in one envelope; 1 turns packing off (every message moves unchanged, for
     *                   consumers that need one change per message). Default 100, the size of a typical partner
     *                   request's envelope.
     * @param maxBytes   most bytes of one envelope's body. The indexer holds up to its prefetch (2000) deliveries, so
     *                   prefetch x max-bytes bounds its memory for in-flight messages. Default 128KB.
     */
    public record Pack(@DefaultValue("100") @Positive int maxChanges,
                       @DefaultValue("128KB") DataSize maxBytes) {
    }

    /**
     * The indexer whose management API the adaptive throttle reads ({@code GET /api/v1/status}).
     *
     * @param url   its management base URL, e.g. {@code http://127.0.0.1:8092}. Default none: only the index queue's
     *              depth is watched.
     * @param token a viewer token of the indexer's management plane, sent as a bearer token.
     */
    public record Indexer(URI url, String token) {

        /** Never the token: the properties may reach a log. */
        @Override
        public String toString() {
            return "Indexer[url=" + url + ", token=(not shown)]";
        }
    }
}
