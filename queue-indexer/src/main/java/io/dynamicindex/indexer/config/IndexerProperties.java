package io.dynamicindex.indexer.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the indexer, under {@code dynamic-index.indexer}.
 *
 * @param queues          index queues to consume, by queue name. Default none.
 * @param workers         worker threads per queue; each drains its own part of the buffer and sends its own bulks,
 *                        so this also bounds the bulks in flight per queue. Default 2.
 * @param buffer          when a worker takes a batch.
 * @param prefetch        unacknowledged messages per consumer; the bound on memory and on redelivery after a crash.
 *                        At most 2000 (the quorum-queue cap), and at least buffer.max-size. Default 1000.
 * @param elasticsearch   where and how to reach Elasticsearch.
 * @param retry           back-off between attempts of a retryable bulk failure.
 * @param shutdownTimeout how long stopping waits for in-flight batches before it gives up on them (they are then
 *                        redelivered). Default 30s.
 */
@Validated
@ConfigurationProperties("dynamic-index.indexer")
public record IndexerProperties(
        @DefaultValue Map<String, @Valid QueueSettings> queues,
        @DefaultValue("2") @Positive @Max(64) int workers,
        @DefaultValue @Valid Buffer buffer,
        @DefaultValue("1000") @Positive @Max(2000) int prefetch,
        @DefaultValue @Valid Elasticsearch elasticsearch,
        @DefaultValue @Valid Retry retry,
        @DefaultValue("30s") Duration shutdownTimeout) {

    /**
     * One index queue.
     *
     * @param consumers AMQP consumers on this queue. Default 1. RabbitMQ spreads a queue over its consumers, so
     *                  with more than one, two changes to one document may be applied out of queue order; only
     *                  messages that carry a version stay correct then (they converge to the highest version).
     * @param filter    name of the filter bean that turns this queue's messages into operations.
     *                  Default emptyFilter (the canonical pass-through).
     */
    public record QueueSettings(@DefaultValue("1") @Positive int consumers,
                                @DefaultValue("emptyFilter") String filter) {
    }

    /**
     * When a worker takes a batch: at max-size messages, or max-interval after the batch's first message.
     *
     * @param maxSize     most messages per batch. Default 500.
     * @param maxInterval longest wait after a batch's first message. Default 500ms.
     */
    public record Buffer(@DefaultValue("500") @Positive int maxSize,
                         @DefaultValue("500ms") Duration maxInterval) {
    }

    /**
     * Elasticsearch connection.
     *
     * @param hosts          base URLs, http or https. Default http://127.0.0.1:9200.
     * @param username       basic-auth user; empty for none.
     * @param password       basic-auth password.
     * @param apiKey         an API key (the base64 id:key form), sent as "Authorization: ApiKey ...".
     * @param connectTimeout TCP connect timeout. Default 2s.
     * @param socketTimeout  longest wait for a bulk response. Default 60s.
     */
    public record Elasticsearch(@DefaultValue("http://127.0.0.1:9200") @NotEmpty List<String> hosts,
                                String username, String password, String apiKey,
                                @DefaultValue("2s") Duration connectTimeout,
                                @DefaultValue("60s") Duration socketTimeout) {
    }

    /**
     * Back-off for retryable failures (connection errors, timeouts, 429, 5xx), with full jitter.
     *
     * @param initialBackoff ceiling of the first wait. Default 100ms.
     * @param maxBackoff     cap of every wait. Default 10s.
     */
    public record Retry(@DefaultValue("100ms") Duration initialBackoff,
                        @DefaultValue("10s") Duration maxBackoff) {
    }
}
