package io.dynamicindex.indexer.filter;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.dynamicindex.indexer.config.IndexerProperties.JdbcFilter;
import io.dynamicindex.indexer.config.IndexerProperties.OnMissing;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;

/**
 * Reads canonical messages like {@link EmptyFilter}, then enriches every index and update document of the batch
 * from database rows fetched with one query for the whole batch (the ids as one text array), never one per message.
 * Thread-safe: it holds no state between batches. Configured in properties, not as a bean class.
 */
public final class JdbcLookupFilter implements MessageFilter {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcLookupFilter.class);

    private final String name;
    private final JdbcFilter settings;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Counter queries;

    public JdbcLookupFilter(String name, JdbcFilter settings, JdbcTemplate jdbc, JsonMapper json, Counter queries) {
        this.name = name;
        this.settings = settings;
        this.jdbc = new JdbcTemplate(jdbc.getDataSource());
        this.jdbc.setQueryTimeout((int) Math.max(1, settings.timeout().toSeconds()));
        this.json = json;
        this.queries = queries;
    }

    /**
     * Runs the query once with no ids, so that a query PostgreSQL cannot run stops startup naming its key. When the
     * database is not reachable now, says so and lets startup go on: the first batch then waits for it.
     */
    public void validate() {
        try {
            lookUpAll(Set.of());
        } catch (BadSqlGrammarException e) {
            throw new IllegalStateException("dynamic-index.indexer.jdbc-filters." + name + ".query='"
                    + settings.query() + "' does not run on PostgreSQL: " + e.getMostSpecificCause().getMessage()
                    + ". It needs one parameter, the batch's ids as a text array, e.g. "
                    + "SELECT id, name FROM product WHERE id = ANY(?)", e);
        } catch (DataAccessException e) {
            LOG.warn("filter {}: cannot check its query now, PostgreSQL did not answer: {}", name,
                    e.getMostSpecificCause().getMessage());
        }
    }

    @Override
    public List<FilterResult> apply(List<PartnerMessage> batch) {
        List<FilterResult> canonical = new EmptyFilter().apply(batch);
        Map<String, Map<String, Object>> rows = lookUp(idsToEnrich(canonical));
        List<FilterResult> results = new ArrayList<>(canonical.size());
        for (FilterResult result : canonical) {
            results.add(result instanceof FilterResult.Accepted accepted ? enrich(accepted, rows) : result);
        }
        return results;
    }

    private static Set<String> idsToEnrich(List<FilterResult> results) {
        Set<String> ids = new LinkedHashSet<>();
        for (FilterResult result : results) {
            if (result instanceof FilterResult.Accepted accepted) {
                accepted.operations().stream().filter(JdbcLookupFilter::carriesDocument)
                        .forEach(operation -> ids.add(operation.key().id()));
            }
        }
        return ids;
    }

    private Map<String, Map<String, Object>> lookUp(Set<String> ids) {
        if (ids.isEmpty()) {
            return new HashMap<>();
        }
        queries.increment();
        return lookUpAll(ids);
    }

    private Map<String, Map<String, Object>> lookUpAll(Set<String> ids) {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        jdbc.query(settings.query(), statement -> statement.setArray(1,
                statement.getConnection().createArrayOf("text", ids.toArray())), (ResultSet row) -> {
                    rows.put(row.getString(settings.keyColumn()), fields(row));
                });
        return rows;
    }

    private Map<String, Object> fields(ResultSet row) throws SQLException {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (!settings.fields().isEmpty()) {
            for (Map.Entry<String, String> field : settings.fields().entrySet()) {
                fields.put(field.getKey(), row.getObject(field.getValue()));
            }
            return fields;
        }
        ResultSetMetaData columns = row.getMetaData();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
            if (!columns.getColumnLabel(i).equalsIgnoreCase(settings.keyColumn())) {
                fields.put(columns.getColumnLabel(i), row.getObject(i));
            }
        }
        return fields;
    }

    private FilterResult enrich(FilterResult.Accepted accepted, Map<String, Map<String, Object>> rows) {
        List<IndexOperation> enriched = new ArrayList<>();
        for (IndexOperation operation : accepted.operations()) {
            if (!carriesDocument(operation)) {
                enriched.add(operation);
                continue;
            }
            Map<String, Object> row = rows.get(operation.key().id());
            if (row == null && settings.onMissing() == OnMissing.REJECT) {
                return FilterResult.rejected("filter " + name + " found no row for id '" + operation.key().id()
                        + "'");
            }
            enriched.add(row == null ? operation : withFields(operation, row));
        }
        return new FilterResult.Accepted(enriched);
    }

    private IndexOperation withFields(IndexOperation operation, Map<String, Object> row) {
        ObjectNode doc = ((ObjectNode) operation.doc()).deepCopy();
        row.forEach((field, value) -> doc.set(field, json.valueToTree(value)));
        return new IndexOperation(operation.phase(), operation.key(), operation.routing(), operation.version(), doc,
                operation.upsert());
    }

    private static boolean carriesDocument(IndexOperation operation) {
        return operation.phase() == Phase.INDEX || operation.phase() == Phase.UPDATE;
    }
}
