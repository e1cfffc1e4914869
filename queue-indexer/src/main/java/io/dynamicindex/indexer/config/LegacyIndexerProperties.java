package io.dynamicindex.indexer.config;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The reference article's indexer keys, under {@code indexer}; when set they override the structured
 * {@code dynamic-index.indexer} values. See also {@link LegacyQueueProperties} and {@link LegacyElasticProperties}.
 *
 * @param input  the queues and their consumer counts.
 * @param output the workers and the batch triggers.
 */
@ConfigurationProperties(prefix = "indexer", ignoreUnknownFields = false)
public record LegacyIndexerProperties(@DefaultValue Input input, @DefaultValue Output output) {

    /**
     * Inputs.
     *
     * @param queue       the index queues to consume.
     * @param threadCount consumers per queue as a SpEL inline map, e.g. {@code {Q_INDEX1: "2"}}; a queue missing
     *                    from the map gets 1.
     */
    public record Input(@DefaultValue List<String> queue, String threadCount) {
    }

    /**
     * Outputs.
     *
     * @param threadCount          worker threads per queue.
     * @param bufferMaxSize        most messages per batch.
     * @param bufferMaxIntervalMs  longest wait after a batch's first message, in milliseconds.
     */
    public record Output(Integer threadCount, Integer bufferMaxSize, Long bufferMaxIntervalMs) {
    }
}
