package io.dynamicindex.indexer.config;

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
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import io.dynamicindex.indexer.bulk.ElasticsearchHosts;
import io.dynamicindex.indexer.bulk.ErrorAction;
import io.dynamicindex.indexer.rebuild.RebuildProperties;

/**
 * Settings of the indexer, under {@code dynamic-index.indexer}.
 *
 * @param queues          index queues to consume, by queue name. Default none.
 * @param errorPolicy     overrides of the error-policy table for every queue: key (an Elasticsearch error type,
 *                        alone or with the item status as {@code cluster_block_exception_429},
 *                        {@code item_<status>}, {@code item_4xx}, {@code request_<status>}, {@code request_4xx},
 *                        {@code connection_error}, {@code invalid_response}, {@code retries_exhausted}) to action
 *                        ({@code retry}, {@code dead-letter}, {@code halt}, {@code drop}, {@code stale}). Default
 *                        none: the built-in table of docs/configuration.md applies.
 * @param jdbcFilters     lookup filters defined in properties, by filter name: each enriches the canonical
 *                        messages of a batch from PostgreSQL rows, with one query per batch. Default none.
 * @param workers         worker threads per queue; all pending work on one document stays on one worker, so order
 *                        holds with any number. Default 2.
 * @param buffer          when a worker takes a batch.
 * @param prefetch        unacknowledged messages per consumer; the bound on memory and on redelivery after a crash.
 *                        At most 2000 (the quorum-queue cap), and at least buffer.max-size. Default 2000. Keep
 *                        consumers x prefetch at least workers x buffer.max-size, or batches can never fill and wait
 *                        for max-interval.
 * @param elasticsearch   where and how to reach Elasticsearch.
 * @param bulk            the thread pool that sends bulk requests; its max-pool-size bounds the bulks in flight
 *                        across all queues.
 * @param slowBatch       a batch slower than this is logged at WARN with its per-phase times. Default 5s.
 * @param retry           back-off between attempts of a retryable bulk failure.
 * @param rebuild         index rebuilds from the archive (bound here so that every key under dynamic-index.indexer
 *                        is checked: a misspelled one stops startup).
 * @param shutdownTimeout how long stopping waits for in-flight batches before it gives up on them (they are then
 *                        redelivered). Default 30s.
 * @param maxDeleteTargets most targets one change may list in prevDelete, and most in triggerDelete, for every
 *                        queue without its own; a change with more is dead-lettered as
 *                        {@code too_many_delete_targets}, none of it applied. Default 100.
 * @param coalesce        fold the consecutive changes of a batch to one document into their final effect (index then
 *                        update is one index of the merged document, anything then delete is the delete), so that a
 *                        hot document costs one bulk item per batch. A change superseded within its batch is not
 *                        sent, so an error only it would meet is not dead-lettered. Default true.
 */
@Validated
@ConfigurationProperties(prefix = "dynamic-index.indexer", ignoreUnknownFields = false)
public record IndexerProperties(
        @DefaultValue Map<String, @Valid QueueSettings> queues,
        @DefaultValue Map<String, ErrorAction> errorPolicy,
        @DefaultValue Map<String, @Valid JdbcFilter> jdbcFilters,
        @DefaultValue("2") @Positive @Max(64) int workers,
        @DefaultValue @Valid Buffer buffer,
        @DefaultValue("2000") @Positive @Max(2000) int prefetch,
        @DefaultValue @Valid Elasticsearch elasticsearch,
        @DefaultValue @Valid BulkPool bulk,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration slowBatch,
        @DefaultValue @Valid Retry retry,
        @DefaultValue @Valid @NestedConfigurationProperty RebuildProperties rebuild,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration shutdownTimeout,
        @DefaultValue("100") @Positive int maxDeleteTargets,
        @DefaultValue("true") boolean coalesce) {

    /**
     * One index queue.
     *
     * @param consumers AMQP consumers on this queue. Default 1. RabbitMQ spreads a queue over its consumers, so
     *                  with more than one, two changes to one document may be applied out of queue order; only
     *                  messages that carry a version stay correct then (they converge to the highest version).
     * @param filter    name of the filter bean that turns this queue's messages into operations.
     *                  Default emptyFilter (the canonical pass-through).
     * @param errorPolicy overrides of the error-policy table for this queue only, over the shared ones.
     * @param archive   whether and how this queue's changes are also kept in the PostgreSQL archive.
     * @param allowedIndices index names or glob patterns ({@code *}, {@code ?}) the changes of this queue may touch
     *                  in index, prevDelete and triggerDelete, whatever published them; an alias is allowed by its
     *                  own name. A change touching any other index is dead-lettered as {@code index_not_allowed},
     *                  none of it applied. Default none set: every index is allowed, and startup logs a WARN naming
     *                  the queue.
     * @param maxDeleteTargets most targets one change of this queue may list in prevDelete, and most in
     *                  triggerDelete. Default dynamic-index.indexer.max-delete-targets.
     */
    public record QueueSettings(@DefaultValue("1") @Positive int consumers,
                                @DefaultValue("emptyFilter") String filter,
                                @DefaultValue Map<String, ErrorAction> errorPolicy,
                                @DefaultValue @Valid Archive archive,
                                List<String> allowedIndices,
                                @Positive Integer maxDeleteTargets) {

        /** The same settings with the consumers and filter the reference article's keys give. */
        QueueSettings withLegacy(int consumers, String filter) {
            return new QueueSettings(consumers, filter, errorPolicy, archive, allowedIndices, maxDeleteTargets);
        }
    }

    /**
     * The archive of one queue: the latest state of every document it changes, in table {@code archive_document}
     * of the indexer's database, written in one transaction per batch together with the batch's bulks. A change is
     * acknowledged only when Elasticsearch and the archive both have it; while PostgreSQL fails, the queue holds its
     * batch and retries with the back-off. An index is rebuilt from it (docs/operations.md).
     *
     * @param enabled            keep this queue's changes in the archive. Default false.
     * @param changeLog          also append every applied operation to {@code archive_change}. Default false.
     * @param changeLogRetention change-log rows older than this are deleted, a chunk a minute. Default 7d.
     * @param lockTimeout        longest a batch waits for its index's archive lock, which a rebuild holds while it
     *                           switches the alias; a longer wait fails the batch, which is retried. Default 30s.
     * @param statementTimeout   longest any other archive statement may run; a slower one fails the batch, which is
     *                           retried. Default 10s.
     */
    public record Archive(@DefaultValue("false") boolean enabled,
                          @DefaultValue("false") boolean changeLog,
                          @DefaultValue("7d") @DurationMin(millis = 1) Duration changeLogRetention,
                          @DefaultValue("30s") @DurationMin(millis = 1) Duration lockTimeout,
                          @DefaultValue("10s") @DurationMin(millis = 1) Duration statementTimeout) {

        /** No archive: what a queue of the reference article's keys gets. */
        public static final Archive OFF = new Archive(false, false, Duration.ofDays(7), Duration.ofSeconds(30),
                Duration.ofSeconds(10));
    }

    /**
     * A JDBC lookup filter: canonical messages whose index or update documents are enriched from database rows.
     *
     * @param query     SQL with one parameter, the batch's document ids as a text array, e.g.
     *                  {@code SELECT id, name, price FROM product WHERE id = ANY(?)}.
     * @param keyColumn the column holding the document id. Default id.
     * @param fields    document field to column; empty (the default) copies every column but the key column under
     *                  its own name. A row's values overwrite the message's fields of the same name.
     * @param onMissing what to do with a message whose id has no row: {@code keep} (apply it unchanged, the
     *                  default) or {@code reject} (dead-letter it).
     * @param timeout   longest the lookup query may run; a slower query fails, and the batch is retried with
     *                  back-off in order. Default 5s.
     */
    public record JdbcFilter(@NotEmpty String query, @DefaultValue("id") String keyColumn,
                             @DefaultValue Map<String, String> fields,
                             @DefaultValue("keep") OnMissing onMissing,
                             @DefaultValue("5s") @DurationMin(millis = 1) Duration timeout) {
    }

    /** What a JDBC lookup filter does when a message's document has no row. */
    public enum OnMissing { KEEP, REJECT }

    /**
     * When a worker takes a batch: at max-size messages, or max-interval after the batch's first message.
     *
     * @param maxSize     most messages per batch, so the most documents per bulk request. Default 500.
     * @param maxInterval longest wait after a batch's first message. Default 500ms.
     * @param maxBytes    a batch is taken once its messages reach this size, so that a bulk request stays well
     *                    under Elasticsearch's http.max_content_length (100mb by default). Default 10MB.
     */
    public record Buffer(@DefaultValue("500") @Positive int maxSize,
                         @DefaultValue("500ms") @DurationMin(millis = 1) Duration maxInterval,
                         @DefaultValue("10MB") DataSize maxBytes) {
    }

    /**
     * Elasticsearch connection.
     *
     * @param hosts          base URLs, http or https. Default http://127.0.0.1:9200.
     * @param username       basic-auth user; empty for none.
     * @param password       basic-auth password.
     * @param caCertificate  a PEM file of the CA that signed Elasticsearch's certificate, for https hosts whose CA
     *                       is not in the JVM's trust store; empty for the JVM default.
     * @param apiKey         an API key (the base64 id:key form), sent as "Authorization: ApiKey ...".
     * @param connectTimeout TCP connect timeout. Default 2s.
     * @param socketTimeout  longest wait for a bulk response. Default 60s.
     */
    public record Elasticsearch(@DefaultValue("http://127.0.0.1:9200") @NotEmpty List<String> hosts,
                                String username, String password, String apiKey, String caCertificate,
                                @DefaultValue("2s") @DurationMin(millis = 1) Duration connectTimeout,
                                @DefaultValue("60s") @DurationMin(millis = 1) Duration socketTimeout) {

        /** Never the password or API key: a settings object that reaches a log must not carry them. */
        @Override
        public String toString() {
            return "Elasticsearch[hosts=" + hosts.stream().map(ElasticsearchHosts::shown).toList() + ", username="
                    + username + ", credentials=(not shown)]";
        }
    }

    /**
     * The bulk-sending thread pool. Workers hand each bulk request to it and wait; when all max-pool-size threads are
     * busy and queue-capacity requests wait, further workers block until one finishes.
     *
     * @param corePoolSize  threads kept alive. Default 2.
     * @param maxPoolSize   most bulk requests in flight at once. Default 4.
     * @param queueCapacity bulk requests that may wait for a thread. Default 50.
     */
    public record BulkPool(@DefaultValue("2") @Positive int corePoolSize,
                           @DefaultValue("4") @Positive int maxPoolSize,
                           @DefaultValue("50") @Positive int queueCapacity) {
    }

    /**
     * Back-off for retried failures (connection errors, timeouts, 429, 5xx, a failing filter or dead-letter store),
     * with full jitter, and the retry budget.
     *
     * @param initialBackoff ceiling of the first wait. Default 100ms.
     * @param maxBackoff     cap of every wait. Default 10s.
     * @param maxAttempts    attempts after which a retried item becomes what the error policy says for
     *                       {@code retries_exhausted} (halt by default); 0 for no limit. Default 0.
     * @param maxAge         how long an item is retried before the same happens; 0 for no limit. Default 5m.
     */
    public record Retry(@DefaultValue("100ms") @DurationMin(millis = 1) Duration initialBackoff,
                        @DefaultValue("10s") @DurationMin(millis = 1) Duration maxBackoff,
                        @DefaultValue("0") @PositiveOrZero int maxAttempts,
                        @DefaultValue("5m") @DurationMin(millis = 0) Duration maxAge) {
    }
}
