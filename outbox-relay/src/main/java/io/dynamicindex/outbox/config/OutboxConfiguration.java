package io.dynamicindex.outbox.config;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import com.rabbitmq.client.impl.nio.NioParams;
import io.micrometer.core.instrument.MeterRegistry;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.dynamicindex.common.IndexAllowList;
import io.dynamicindex.outbox.relay.BrokerBlock;
import io.dynamicindex.outbox.relay.Fencing;
import io.dynamicindex.outbox.relay.OutboxRelay;
import io.dynamicindex.outbox.relay.OutboxRelay.RelaySettings;
import io.dynamicindex.outbox.relay.OutboxStore;
import io.dynamicindex.outbox.relay.QueueDeclarer;
import io.dynamicindex.outbox.relay.RowPublisher;

/**
 * Builds the relay from {@link OutboxProperties}: its instance id, the bounded JDBC and channel calls, the lease, the
 * publisher and the loop, and logs what it resolved.
 */
@Configuration(proxyBeanMethods = false)
public class OutboxConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxConfiguration.class);

    @Bean
    RelayInstance relayInstance() {
        return RelayInstance.current();
    }

    /** Every statement of the relay (and of the lease) is cancelled by the driver after the statement timeout. */
    @Bean
    JdbcTemplate jdbcTemplate(DataSource dataSource, OutboxProperties properties) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.setQueryTimeout((int) Math.max(1, properties.statementTimeout().toSeconds()));
        return jdbc;
    }

    /**
     * Every channel call (open, confirm select, declare, close) waits at most the confirm timeout, and so does every
     * write: the connection uses amqp-client's NIO mode, in which {@code basicPublish} only puts frames in a write
     * queue and fails ("Frame enqueuing failed") when the queue stays full for {@code writeEnqueuingTimeoutInMs}, as
     * it does when the broker stopped reading (a resource alarm). With the default blocking sockets a publish into a
     * blocked connection would wait in the socket write without any bound.
     */
    @Bean
    ConnectionFactoryCustomizer boundedChannelCalls(OutboxProperties properties) {
        int timeout = (int) properties.confirmTimeout().toMillis();
        return factory -> {
            factory.setChannelRpcTimeout(timeout);
            factory.useNio();
            factory.setNioParams(new NioParams().setWriteEnqueuingTimeoutInMs(timeout));
        };
    }

    /** The broker's {@code connection.blocked} state, registered on the connection factory before first use. */
    @Bean
    BrokerBlock brokerBlock(ConnectionFactory connectionFactory) {
        BrokerBlock block = new BrokerBlock();
        connectionFactory.addConnectionListener(block);
        return block;
    }

    @Bean
    LockProvider relayLockProvider(JdbcTemplate jdbc, RelayInstance instance) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(jdbc)
                .withTableName("outbox_relay_lease")
                .withLockedByValue(instance.id())
                .usingDbTime()
                .build());
    }

    @Bean
    QueueDeclarer queueDeclarer(OutboxProperties properties, ConnectionFactory connectionFactory,
                                RabbitConnectionDetails broker, BrokerBlock brokerBlock) {
        QueueDeclarer declarer = new QueueDeclarer(properties.queues(), connectionFactory,
                broker.getAddresses().size() > 1);
        declarer.checkAtStartup();
        return declarer;
    }

    @Bean
    OutboxRelay outboxRelay(OutboxProperties properties, RelayInstance instance, JdbcTemplate jdbc,
                            LockProvider locks, PlatformTransactionManager transactionManager,
                            ConnectionFactory connectionFactory, RabbitProperties rabbit, MeterRegistry meters,
                            BrokerBlock brokerBlock) {
        Fencing fencing = Fencing.of(properties.confirmTimeout(), heartbeat(rabbit));
        RelaySettings settings = new RelaySettings(instance.id(), indexAllowLists(properties),
                properties.batchSize(), properties.pollInterval(), properties.lease(), fencing,
                properties.backoff().initial(), properties.backoff().max(), properties.cleanup().retention(),
                properties.cleanup().interval(), properties.cleanup().chunkSize(),
                properties.maxMessageSize().toBytes(), properties.maxIdAhead());
        TransactionTemplate batch = new TransactionTemplate(transactionManager);
        batch.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        LOG.info("outbox relay: instance {}, queues with their indices {}, batch {}, poll {}, confirm timeout {}, "
                        + "lease {}, batch budget {}, idle-in-transaction limit {}, retention {}, max message size {}, "
                        + "max id ahead {}",
                instance.id(), settings.queues(), properties.batchSize(), properties.pollInterval(),
                properties.confirmTimeout(), properties.lease(), fencing.batchBudget(), fencing.idleInTransaction(),
                properties.cleanup().retention(), properties.maxMessageSize(), properties.maxIdAhead());
        return new OutboxRelay(new OutboxStore(jdbc), new RowPublisher(connectionFactory, instance.id(), brokerBlock),
                locks, batch, settings, meters, brokerBlock);
    }

    /**
     * Each queue with the indices its rows may name, sorted by queue for the startup log; one WARN per queue without
     * an allow-list, as the queue server warns for a partner without one.
     */
    static Map<String, IndexAllowList> indexAllowLists(OutboxProperties properties) {
        Map<String, IndexAllowList> lists = new TreeMap<>();
        properties.queues().forEach((queue, settings) -> {
            lists.put(queue, IndexAllowList.of(settings.indices()));
            if (settings.indices() == null) {
                LOG.warn("outbox relay: queue '{}' has no index allow-list: its rows may name any index; set "
                        + "dynamic-index.outbox.queues.{}.indices", queue, queue);
            }
        });
        return Collections.unmodifiableMap(lists);
    }

    private static Duration heartbeat(RabbitProperties rabbit) {
        Duration heartbeat = rabbit.getRequestedHeartbeat();
        if (heartbeat == null || heartbeat.isZero()) {
            LOG.warn("outbox relay: spring.rabbitmq.requested-heartbeat is off, so the broker does not close the "
                    + "connection of a paused relay; set it (5s) to keep a paused relay from publishing late");
            return Duration.ZERO;
        }
        return heartbeat;
    }
}
