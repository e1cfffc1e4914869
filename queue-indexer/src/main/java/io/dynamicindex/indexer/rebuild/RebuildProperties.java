package io.dynamicindex.indexer.rebuild;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of index rebuilds from the archive, under {@code dynamic-index.indexer.rebuild} (bound as part of
 * {@link io.dynamicindex.indexer.config.IndexerProperties}); the endpoint and the command line read the same ones.
 *
 * @param batchSize        archive rows read per page, so the most documents per _bulk request. Default 1000.
 * @param batchBytes       a _bulk body is sent once it reaches this size, even before batch-size documents, so that
 *                         large documents stay well under Elasticsearch's http.max_content_length. Default 5MB.
 * @param catchUpThreshold a catch-up round that copies fewer changes than this leads to the switch, whose pause of
 *                         live writers grows with the changes left. Default 1000.
 * @param catchUpRounds    most catch-up rounds; when live changes arrive faster than the rebuild copies them, the
 *                         rebuild fails after this many (resumable) instead of running forever. Default 30.
 * @param lockTimeout      longest one wait for the archive's exclusive lock of the alias (for a catch-up horizon and
 *                         for the switch); live writers of the alias wait behind it, so this bounds their pause
 *                         before the switch. Default 5s.
 * @param lockAttempts     waits for that lock before the rebuild fails. Default 10.
 * @param statementTimeout longest any PostgreSQL statement of the rebuild may run. Default 30s.
 * @param fastCopy         create the new index with refresh_interval -1 and no replicas, and restore both from the
 *                         given settings (or Elasticsearch's defaults) before the catch-up. Default true.
 * @param initialBackoff   ceiling of the first wait before a retried Elasticsearch call (no answer, 429, 5xx).
 *                         Default 200ms.
 * @param maxBackoff       cap of every such wait. Default 10s.
 * @param retryFor         how long one Elasticsearch call is retried before the rebuild fails. Default 5m.
 * @param shardWait        longest wait for the new index's primary shards after creating it and after restoring its
 *                         replicas. Default 60s.
 * @param progressEvery    a running rebuild logs its progress this often. Default 10s.
 */
public record RebuildProperties(
        @DefaultValue("1000") @Positive @Max(100_000) int batchSize,
        @DefaultValue("5MB") DataSize batchBytes,
        @DefaultValue("1000") @Positive int catchUpThreshold,
        @DefaultValue("30") @Positive int catchUpRounds,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration lockTimeout,
        @DefaultValue("10") @Positive int lockAttempts,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration statementTimeout,
        @DefaultValue("true") boolean fastCopy,
        @DefaultValue("200ms") @DurationMin(millis = 1) Duration initialBackoff,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration maxBackoff,
        @DefaultValue("5m") @DurationMin(millis = 1) Duration retryFor,
        @DefaultValue("60s") @DurationMin(millis = 1) Duration shardWait,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration progressEvery) {
}
