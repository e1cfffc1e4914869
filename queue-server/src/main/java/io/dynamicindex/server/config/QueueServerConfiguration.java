package io.dynamicindex.server.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.dynamicindex.common.QueueArguments;
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

    /**
     * Declares the source queues whenever a connection opens. Without a retry of its own (Spring's default retries
     * for up to 17 s): a declaration that fails fails the request that opened the connection, and the next request
     * tries again.
     */
    @Bean
    RabbitAdmin amqpAdmin(ConnectionFactory connectionFactory) {
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        admin.setRetryTemplate(null);
        return admin;
    }

    /**
     * Declares the source queues at startup when the broker is reachable, so that a queue that already exists with
     * other arguments (type, max-length, lazy) stops the server with a clear message instead of failing every
     * request with 503. When the broker is not reachable, the queues are declared when it is.
     */
    @Bean
    ApplicationRunner sourceQueueCheck(RabbitAdmin admin) {
        return arguments -> {
            try {
                admin.initialize();
            } catch (AmqpException e) {
                if (RabbitUtils.isMismatchedQueueArgs(e)) {
                    throw new IllegalStateException("a source queue exists on the broker with other arguments than "
                            + "dynamic-index.server.queues.<queue>.* declare: " + rootMessage(e) + ". Make type, "
                            + "max-length and lazy match the queue, or change the queue (a policy, or delete and "
                            + "let the server declare it)", e);
                }
                LOG.warn("broker not reachable at startup ({}); source queues are declared once it is",
                        e.getMessage());
            }
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    static Map<String, Object> arguments(QueueSettings settings) {
        Map<String, Object> arguments = new HashMap<>();
        if (settings.type() == QueueServerProperties.QueueType.QUORUM) {
            arguments.put("x-queue-type", "quorum");
        } else if (settings.lazy()) {
            arguments.putAll(QueueArguments.classicLazy());
        }
        if (settings.maxLength() != null) {
            arguments.put("x-max-length", settings.maxLength());
            arguments.put("x-overflow", "reject-publish");
        }
        return arguments;
    }
}
