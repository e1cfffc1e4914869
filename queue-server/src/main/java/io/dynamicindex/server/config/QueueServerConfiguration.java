package io.dynamicindex.server.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.dynamicindex.server.config.QueueServerProperties.QueueSettings;

/** Beans built once from {@link QueueServerProperties}: the partner keys and the source queue declarations. */
@Configuration(proxyBeanMethods = false)
public class QueueServerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(QueueServerConfiguration.class);

    @Bean
    PartnerKeys partnerKeys(QueueServerProperties properties) {
        PartnerKeys keys = PartnerKeys.from(properties);
        LOG.info("queue-server: queues {}, partners {}, max request {} / {} messages, confirm timeout {}",
                properties.queues().keySet(), keys.names(), properties.maxRequestSize(),
                properties.maxMessagesPerRequest(), properties.confirmTimeout());
        return keys;
    }

    /** Source queues, declared durable whenever a connection to the broker opens. */
    @Bean
    Declarables sourceQueues(QueueServerProperties properties) {
        List<Queue> queues = properties.queues().entrySet().stream()
                .map(entry -> new Queue(entry.getKey(), true, false, false, arguments(entry.getValue())))
                .toList();
        return new Declarables(queues);
    }

    static Map<String, Object> arguments(QueueSettings settings) {
        Map<String, Object> arguments = new HashMap<>();
        if (settings.type() == QueueServerProperties.QueueType.QUORUM) {
            arguments.put("x-queue-type", "quorum");
        }
        if (settings.maxLength() != null) {
            arguments.put("x-max-length", settings.maxLength());
            arguments.put("x-overflow", "reject-publish");
        }
        return arguments;
    }
}
