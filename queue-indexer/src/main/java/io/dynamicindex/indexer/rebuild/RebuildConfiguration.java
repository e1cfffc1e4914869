package io.dynamicindex.indexer.rebuild;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.bulk.RestClientTransport;
import io.dynamicindex.indexer.config.IndexerProperties;

/**
 * The rebuild's beans, the same in the daemon and on the command line: the {@link Rebuilder} on the application's
 * DataSource and Elasticsearch client, with a JDBC template bounded by statement-timeout and its own unpooled
 * connections for the rebuild leases (a pooled connection would keep a session lock after it was "closed").
 */
@Configuration(proxyBeanMethods = false)
public class RebuildConfiguration {

    @Bean
    Rebuilder rebuilder(DataSource dataSource, DataSourceProperties database, RestClientTransport transport,
                        JsonMapper json, IndexerProperties indexer, ObjectProvider<AuditEventRepository> audit) {
        RebuildProperties settings = indexer.rebuild();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.setQueryTimeout((int) Math.max(1, settings.statementTimeout().toSeconds()));
        TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        DataSource leases = database.initializeDataSourceBuilder().type(SimpleDriverDataSource.class).build();
        return new Rebuilder(leases, new RebuildStore(jdbc), new ArchiveReader(jdbc),
                new ArchiveLock(jdbc, transactions, settings), new ElasticsearchCalls(transport, json, settings), json,
                settings, new LossAudit(audit.getIfAvailable()), Clock.systemUTC());
    }
}
