package io.dynamicindex.indexer.config;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import com.rabbitmq.client.Address;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.common.Backoff;
import io.dynamicindex.indexer.archive.ArchiveWriter;
import io.dynamicindex.indexer.buffer.QueuePipeline;
import io.dynamicindex.indexer.bulk.BulkSender;
import io.dynamicindex.indexer.bulk.ErrorPolicy;
import io.dynamicindex.indexer.bulk.PhasedApplier;
import io.dynamicindex.indexer.bulk.PooledTransport;
import io.dynamicindex.indexer.bulk.RestClientTransport;
import io.dynamicindex.indexer.bulk.RetryPolicy;
import io.dynamicindex.indexer.consume.AmqpConnection;
import io.dynamicindex.indexer.deadletter.DeadLetterStore;
import io.dynamicindex.indexer.health.QueueStatus;
import io.dynamicindex.indexer.health.QueueStatuses;

/**
 * Starts one pipeline per configured queue and stops them gracefully: stop consuming, flush the buffer, finish
 * in-flight bulks within the shutdown timeout. Owns the AMQP connection and the bulk thread pool.
 */
@Component
public class Indexer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);

    private final IndexerProperties properties;
    private final IndexerPlan plan;
    private final FilterCatalog filters;
    private final DeadLetterStore deadLetters;
    private final DataSource dataSource;
    private final CachingConnectionFactory rabbit;
    private final RabbitConnectionDetails broker;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final RestClientTransport transport;
    private final QueueStatuses statuses;
    private final List<QueuePipeline> pipelines = new ArrayList<>();
    private AmqpConnection connection;
    private PooledTransport pooled;
    private volatile boolean running;

    public Indexer(IndexerProperties properties, IndexerPlan plan, FilterCatalog filters,
                   DeadLetterStore deadLetters, DataSource dataSource, CachingConnectionFactory rabbit,
                   RabbitConnectionDetails broker, JsonMapper json, MeterRegistry meters, RestClientTransport transport, QueueStatuses statuses) {
        this.properties = properties;
        this.plan = plan;
        this.filters = filters;
        this.deadLetters = deadLetters;
        this.dataSource = dataSource;
        this.rabbit = rabbit;
        this.broker = broker;
        this.json = json;
        this.meters = meters;
        this.transport = transport;
        this.statuses = statuses;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        connection = new AmqpConnection(rabbit.getRabbitConnectionFactory(), broker.getAddresses().stream()
                .map(address -> new Address(address.host(), address.port())).toList());
        pooled = new PooledTransport(transport, plan.bulk().corePoolSize(), plan.bulk().maxPoolSize(),
                plan.bulk().queueCapacity());
        plan.queues().forEach((queue, settings) -> {
            declare(queue);
            RetryPolicy retry = retryPolicy(plan.errorPolicies().get(queue));
            QueueStatus status = statuses.of(queue);
            BulkSender sender = new BulkSender(queue, pooled, json, retry, status, meters,
                    settings.archive().enabled());
            QueuePipeline pipeline = new QueuePipeline(queue, pipelineSettings(settings),
                    new QueuePipeline.Parts(filters.byName().get(settings.filter()), plan.guards().get(queue),
                            new PhasedApplier(sender, properties.slowBatch(), properties.coalesce()),
                            archive(queue, settings.archive()), retry, status, deadLetters, connection, json,
                            meters));
            if (settings.consumers() > 1) {
                LOG.warn("{}: {} consumers share this queue, so unversioned changes to one document may be applied "
                        + "out of queue order; use 1 consumer or send versions", queue, settings.consumers());
            }
            pipelines.add(pipeline);
            pipeline.start();
            LOG.info("{}: indexing with {} consumer(s), {} worker(s), filter {}, batches of {} / {} or every {}, "
                    + "into {}, error policy {}, {}", queue, settings.consumers(), plan.workers(), settings.filter(),
                    plan.buffer().maxSize(), plan.buffer().maxBytes(), plan.buffer().maxInterval(), transport.hosts(),
                    plan.errorPolicies().get(queue), plan.guards().get(queue));
        });
        running = true;
    }

    private ArchiveWriter archive(String queue, IndexerProperties.Archive settings) {
        if (!settings.enabled()) {
            return null;
        }
        LOG.info("{}: archiving into PostgreSQL table archive_document{}", queue, settings.changeLog()
                ? ", change log in archive_change kept for " + settings.changeLogRetention() : "");
        return new ArchiveWriter(queue, dataSource, json, new ArchiveWriter.Settings(settings.changeLog(),
                settings.changeLogRetention(), settings.lockTimeout(), settings.statementTimeout()),
                Clock.systemUTC());
    }

    private RetryPolicy retryPolicy(ErrorPolicy errors) {
        IndexerProperties.Retry retry = properties.retry();
        return new RetryPolicy(errors, Backoff.withRandomJitter(retry.initialBackoff(), retry.maxBackoff()),
                retry.maxAttempts(), retry.maxAge(), duration -> Thread.sleep(duration.toMillis()),
                Clock.systemUTC());
    }

    private QueuePipeline.Settings pipelineSettings(IndexerProperties.QueueSettings settings) {
        return new QueuePipeline.Settings(settings.consumers(), plan.workers(), plan.prefetch(),
                plan.buffer().maxSize(), plan.buffer().maxBytes().toBytes(), plan.buffer().maxInterval(),
                settings.filter());
    }

    private void declare(String queue) {
        try {
            connection.declareIfMissing(queue);
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warn("{}: cannot check the queue now; consumers will keep trying: {}", queue, e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        long timeout = properties.shutdownTimeout().toMillis();
        try {
            for (QueuePipeline pipeline : pipelines) {
                pipeline.stop(timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pipelines.clear();
            connection.close();
            closeTransport();
            running = false;
            LOG.info("indexer stopped");
        }
    }

    private void closeTransport() {
        try {
            pooled.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
