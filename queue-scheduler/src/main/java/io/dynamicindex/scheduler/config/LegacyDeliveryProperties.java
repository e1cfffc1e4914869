package io.dynamicindex.scheduler.config;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The reference article's scheduler keys, under {@code delivery}. The four lists are parallel: position i of each
 * describes route i. Cron expressions are separated by commas, so a cron expression in this format cannot itself
 * contain a comma; use the structured {@code dynamic-index.scheduler.routes} for those.
 *
 * @param cron   cron expressions with seconds, one per route.
 * @param period messages per tick, one per route (a count, not a time span).
 * @param source the source broker and source queue names.
 * @param target the target broker and target queue names.
 */
@ConfigurationProperties(prefix = "delivery", ignoreUnknownFields = false)
public record LegacyDeliveryProperties(
        @DefaultValue List<String> cron,
        @DefaultValue List<String> period,
        @DefaultValue Endpoint source,
        @DefaultValue Endpoint target) {

    /**
     * A broker and its queue list; when host is set it overrides {@code dynamic-index.scheduler.source|target}.
     *
     * @param queueName queue names, one per route.
     * @param host      broker host.
     * @param port      broker port.
     * @param username  broker user.
     * @param password  broker password.
     */
    public record Endpoint(@DefaultValue List<String> queueName, String host, Integer port, String username,
                           String password) {
    }

    boolean isEmpty() {
        return cron.isEmpty() && period.isEmpty() && source.queueName().isEmpty() && target.queueName().isEmpty();
    }
}
