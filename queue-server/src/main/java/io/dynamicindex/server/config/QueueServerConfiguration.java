package io.dynamicindex.server.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans built once from {@link QueueServerProperties}: the partner keys. */
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
}
