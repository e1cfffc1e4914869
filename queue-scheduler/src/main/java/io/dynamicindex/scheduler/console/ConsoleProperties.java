package io.dynamicindex.scheduler.console;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The ops console's sources ({@code dynamic-index.console.*}).
 *
 * @param indexers            the indexers' management base URLs ({@code http://127.0.0.1:8092}), reached through
 *                            {@code /api/v1/indexers/{n}/...} with the caller's token. Default none.
 * @param rabbitmqManagement  RabbitMQ's management HTTP API ({@code http://127.0.0.1:15672}) for queue depth, rates
 *                            and consumers, asked with the source broker's user; unset, the console asks by AMQP
 *                            passive declare (depth and consumers, no rates). Default unset.
 * @param timeout             the longest the console waits for an indexer or the management API. Default 5s.
 */
@Validated
@ConfigurationProperties(prefix = "dynamic-index.console", ignoreUnknownFields = false)
public record ConsoleProperties(@DefaultValue List<URI> indexers, URI rabbitmqManagement,
                                @DefaultValue("5s") @DurationMin(millis = 1) Duration timeout) {
}
