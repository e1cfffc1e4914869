package io.dynamicindex.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the queue server, under {@code dynamic-index.server}.
 *
 * @param queues                 source queues that partners may write to, by queue name; each is declared durable
 *                               at startup. Default: none.
 * @param partners               partners by name, each with its API key and the queues it may write. Default: none.
 * @param allowPlainKeys         whether {@code partners.*.key} (a plain-text key) is accepted; for development only.
 *                               Default false: keys must be given as {@code key-sha256}.
 * @param maxRequestSize         largest request body accepted; larger bodies get 413. Default 5MB.
 * @param maxMessagesPerRequest  most messages one request may carry; more get 413. Default 1000.
 * @param confirmTimeout         how long a request waits for the broker to confirm all its messages before it gets
 *                               503. Default 5s.
 * @param retryAfter             the Retry-After sent with 503 when the broker is unavailable. Default 5s.
 * @param maxDepth               deepest nesting of objects and arrays one change may have, the change's own object
 *                               counting as 1; a deeper change gets 400 naming its position. Kept well under the
 *                               parsers' limits (Jackson: 500), since the scheduler's packs and the indexer add
 *                               levels around a change. 3 to 256, default 64.
 * @param maxDeleteTargets       most entries a change's {@code prevDelete} and its {@code triggerDelete} may each
 *                               hold; more get 400 naming the change's position and the field. 0 to 10000, default
 *                               100.
 * @param authFailureLogInterval at most one WARN per this interval for requests with a missing or unknown API key,
 *                               saying how many were refused since the last one; the metric
 *                               {@code dynamicindex.server.auth.failed} counts every one. Default 10s.
 */
@Validated
@ConfigurationProperties(prefix = "dynamic-index.server", ignoreUnknownFields = false)
public record QueueServerProperties(
        @DefaultValue Map<String, @Valid QueueSettings> queues,
        @DefaultValue Map<String, @Valid PartnerSettings> partners,
        @DefaultValue("false") boolean allowPlainKeys,
        @DefaultValue("5MB") DataSize maxRequestSize,
        @DefaultValue("1000") @Positive @Max(100_000) int maxMessagesPerRequest,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration confirmTimeout,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration retryAfter,
        @DefaultValue("64") @Min(3) @Max(256) int maxDepth,
        @DefaultValue("100") @Min(0) @Max(10_000) int maxDeleteTargets,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration authFailureLogInterval) {

    /**
     * One source queue.
     *
     * @param type      {@code classic} or {@code quorum}. Default: quorum when {@code spring.rabbitmq.addresses}
     *                  names several nodes (a cluster), classic otherwise.
     * @param maxLength most messages the queue holds; when full, publishes are refused (overflow reject-publish), so
     *                  the partner gets 503 instead of the oldest messages being dropped. Default: unlimited.
     * @param lazy      a classic queue is declared lazy ({@code x-queue-mode=lazy}): messages go to disk as they
     *                  arrive, which makes a backlog much cheaper for RabbitMQ 3.10/3.11 (ignored from 3.12). An
     *                  existing queue declared otherwise fails the declaration: set false, or use a policy. On a
     *                  broker that is not RabbitMQ the argument is left out, with a WARN. Default true.
     * @param deliveryLimit for a quorum queue: deliveries after which a message that consumers keep returning is
     *                  moved to the queue's parking queue ({@code <queue>.parked}), which the server declares,
     *                  instead of being dropped. Operators move parked messages back through the management port
     *                  ({@code POST /actuator/parked/<queue>}). Default 20.
     * @param envelope  a request's changes go to the broker as one message, a JSON array with the header
     *                  {@code x-changes} (their number), instead of one message per change: one persistent enqueue,
     *                  delivery and acknowledgement per request. The indexer splits it and acknowledges it once every
     *                  change is applied or dead-lettered (dead letters and replays stay per change). Set false for
     *                  consumers of the source queue that need one change per message. Default true.
     */
    public record QueueSettings(QueueType type, @Positive Long maxLength,
                                @DefaultValue("true") boolean lazy,
                                @DefaultValue("20") @Positive int deliveryLimit,
                                @DefaultValue("true") boolean envelope) {

        /** Whether the queue is a quorum queue: as configured, or, when no type is set, on a cluster. */
        public boolean quorum(boolean clustered) {
            return type == null ? clustered : type == QueueType.QUORUM;
        }
    }

    /** The RabbitMQ queue type. */
    public enum QueueType { CLASSIC, QUORUM }

    /**
     * One partner.
     *
     * @param keySha256 the SHA-256 of the partner's API key, as 64 hex digits.
     * @param key       the plain API key; accepted only when {@code allow-plain-keys} is true.
     * @param queues    the source queues this partner may write.
     * @param indices   the indices this partner's changes may name (top-level {@code index} and the {@code index} of
     *                  every {@code prevDelete} and {@code triggerDelete} entry): names, aliases included, or glob
     *                  patterns with {@code *} (any run) and {@code ?} (one character), e.g. {@code shop1-*}. A
     *                  request with a change outside them gets 403 and nothing of it is published; a change without
     *                  an {@code index} field passes (its filter decides). Default: not set, and then any index is
     *                  allowed, with a WARN at startup.
     */
    public record PartnerSettings(String keySha256, String key, @DefaultValue List<String> queues,
                                  List<String> indices) {

        /** Never the key: a settings object that reaches a log must not carry it. */
        @Override
        public String toString() {
            return "PartnerSettings[queues=" + queues + ", indices=" + indices + ", key=(not shown)]";
        }
    }
}
