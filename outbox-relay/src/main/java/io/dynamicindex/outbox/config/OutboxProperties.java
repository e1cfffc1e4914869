package io.dynamicindex.outbox.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the outbox relay, under {@code dynamic-index.outbox}. A key under this prefix that binds to nothing,
 * such as a misspelling, fails startup.
 *
 * @param queues           the source queues that outbox rows may name, by queue name; each is declared durable when
 *                         the relay connects, with the same arguments as the queue server declares it (keep the two
 *                         configurations alike: RabbitMQ refuses a redeclaration with other arguments, and the relay
 *                         then stops at startup saying so). A row naming another queue is moved to
 *                         {@code outbox_rejected} with its reason, and the rows after it go on. Each may restrict the
 *                         indices its rows name ({@code queues.<queue>.indices}). At least one is required.
 * @param batchSize        most rows published per batch: one transaction, one confirm wait, one offset update.
 *                         Default 500.
 * @param pollInterval     how long the relay waits after a poll that found nothing to publish. Default 100ms.
 * @param confirmTimeout   how long a batch waits for the broker to confirm all its messages; on timeout nothing of the
 *                         batch is marked published, and it is published again (marked as a possible duplicate) after
 *                         a back-off. Default 10s.
 * @param statementTimeout the longest any of the relay's SQL statements may run. Default 10s.
 * @param lease            how long an instance keeps the relay after it last renewed it (a ShedLock row in
 *                         {@code outbox_relay_lease}); only the holder publishes, and another instance takes over
 *                         within this time after the holder died. The holder renews it every third of it. Default 30s.
 * @param backoff          waits after a failed batch (broker or database unavailable, nack, timeout).
 * @param cleanup          deletion of published rows.
 * @param maxMessageSize   the largest payload the relay publishes, in bytes of UTF-8; keep it at or below the broker's
 *                         {@code max_message_size} (16 MiB on RabbitMQ 4, 128 MiB on 3.x), which closes the channel
 *                         of a larger publish. A larger row is moved to {@code outbox_rejected} with its size, and the
 *                         rows after it go on. Default 16MB.
 * @param maxIdAhead       how far a row's id may lie beyond the last value of {@code outbox_id_seq} (which every id
 *                         the id default hands out stays at or below): a row further ahead was given its id some other
 *                         way, and publishing it would move the offset past every id the sequence has yet to hand
 *                         out, so the relay halts at it (health DOWN, one ERROR, {@code dynamicindex.outbox.halts})
 *                         until the row is removed. The sequence is read only when a batch holds an id beyond the
 *                         value last read. Default 0.
 */
@Validated
@ConfigurationProperties(prefix = "dynamic-index.outbox", ignoreUnknownFields = false)
public record OutboxProperties(
        @NotEmpty Map<String, @Valid QueueSettings> queues,
        @DefaultValue("500") @Positive @Max(10_000) int batchSize,
        @DefaultValue("100ms") @DurationMin(millis = 1) Duration pollInterval,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration confirmTimeout,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration statementTimeout,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration lease,
        @DefaultValue @Valid Backoff backoff,
        @DefaultValue @Valid Cleanup cleanup,
        @DefaultValue("16MB") DataSize maxMessageSize,
        @DefaultValue("0") @PositiveOrZero long maxIdAhead) {

    /**
     * One source queue, declared as the queue server declares it ({@code dynamic-index.server.queues.<q>.*}).
     *
     * @param type          {@code classic} or {@code quorum}. Default: quorum when {@code spring.rabbitmq.addresses}
     *                      names several nodes (a cluster), classic otherwise.
     * @param maxLength     most messages the queue holds; a full queue refuses publishes (reject-publish), so the relay
     *                      retries the batch with back-off instead of a message being dropped. Default: unlimited.
     * @param lazy          a classic queue is declared lazy ({@code x-queue-mode=lazy}). Default true.
     * @param deliveryLimit for a quorum queue: deliveries after which a message is moved to
     *                      {@code <queue>.parked}, which the relay declares first. Default 20.
     * @param indices       the indices this queue's rows may name (the change's top-level {@code index} and the
     *                      {@code index} of every {@code prevDelete} and {@code triggerDelete} entry): names, aliases
     *                      included, or glob patterns with {@code *} and {@code ?} such as {@code shop1-*}, as the
     *                      queue server's {@code partners.<name>.indices} and the indexer's {@code allowed-indices}.
     *                      A row naming another index is moved to {@code outbox_rejected} before anything of it is
     *                      published ({@code index_not_allowed}, naming the field and the index), and the rows after
     *                      it go on; a change without an {@code index} passes (its queue's filter decides, and the
     *                      indexer checks again). An empty list allows no index. Default: not set, and then any index
     *                      is allowed, with a WARN at startup.
     */
    public record QueueSettings(QueueType type, @Positive Long maxLength,
                                @DefaultValue("true") boolean lazy,
                                @DefaultValue("20") @Positive int deliveryLimit,
                                List<String> indices) {

        /** Whether the queue is a quorum queue: as configured, or, when no type is set, on a cluster. */
        public boolean quorum(boolean clustered) {
            return type == null ? clustered : type == QueueType.QUORUM;
        }
    }

    /** The RabbitMQ queue type. */
    public enum QueueType { CLASSIC, QUORUM }

    /**
     * Exponential back-off with full jitter after a failed batch.
     *
     * @param initial the ceiling of the first wait. Default 100ms.
     * @param max     the ceiling of every later wait. Default 10s.
     */
    public record Backoff(@DefaultValue("100ms") @DurationMin(millis = 1) Duration initial,
                          @DefaultValue("10s") @DurationMin(millis = 1) Duration max) {
    }

    /**
     * Deletion of published rows, by the instance that holds the lease.
     *
     * @param retention how long a published row is kept after it was inserted, for audits and manual replays. Rows
     *                  at or above the lowest pending gap are kept until the gap closes. Default 1d.
     * @param interval  how often published rows older than the retention are deleted. Default 1m.
     * @param chunkSize most rows one delete statement removes; a run deletes chunks until fewer are left, up to
     *                  100 chunks and at most a third of the lease (the rest follows after the next batch), and
     *                  stops when the relay stops. Default 5000.
     */
    public record Cleanup(@DefaultValue("1d") @DurationMin(millis = 1) Duration retention,
                          @DefaultValue("1m") @DurationMin(millis = 1) Duration interval,
                          @DefaultValue("5000") @Positive int chunkSize) {
    }
}
