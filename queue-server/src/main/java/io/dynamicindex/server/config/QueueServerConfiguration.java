package io.dynamicindex.server.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans built once from {@link QueueServerProperties}: the partner keys and the bounded channel calls. */
@Configuration(proxyBeanMethods = false)
public class QueueServerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(QueueServerConfiguration.class);

    @Bean
    PartnerKeys partnerKeys(QueueServerProperties properties) {
        PartnerKeys keys = PartnerKeys.from(properties);
        LOG.info("queue-server: queues {}, partners {}, max request {} / {} messages, confirm timeout {}",
                properties.queues().keySet(), keys.names(), properties.maxRequestSize(),
                properties.maxMessagesPerRequest(), properties.confirmTimeout());
        for (String partner : keys.unrestricted()) {
            LOG.warn("partner '{}' has no index allow-list: its changes may name any index, another partner's too; "
                    + "set dynamic-index.server.partners.{}.indices", partner, partner);
        }
        return keys;
    }

    /**
     * Every channel call (opening a channel, selecting confirms, a passive declare) waits at most the confirm timeout
     * instead of the client's default of ten minutes, so that a broker that stops reading (a resource alarm) cannot
     * hold a publishing thread for long.
     */
    @Bean
    ConnectionFactoryCustomizer boundedChannelCalls(QueueServerProperties properties) {
        return factory -> factory.setChannelRpcTimeout((int) properties.confirmTimeout().toMillis());
    }
}
