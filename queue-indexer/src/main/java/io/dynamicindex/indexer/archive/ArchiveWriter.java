package io.dynamicindex.indexer.archive;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.bulk.PhasedApplier.Failure;
import io.dynamicindex.indexer.bulk.PhasedApplier.MessageOutcome;
import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;

/**
 * Writes one queue's batches to the archive in the same unit as their Elasticsearch bulks. One PostgreSQL transaction
 * per batch: it takes the shared archive lock slot of every index name the batch touches (at most
 * {@value #LOCK_SLOTS} locks, whatever the batch holds), lets the bulks run, then locks
 * the batch's archived rows, folds the applied operations into them ({@link ArchiveFold}) and upserts every changed
 * document with one statement (plus one insert into the change log when it is on), and commits. A failure anywhere
 * rolls the archive back and fails the whole unit, which the caller retries, bulks included: Elasticsearch takes the
 * same operations again as it takes a redelivery, and the retried bulks go wherever the index name points by then.
 */
public final class ArchiveWriter {

    /** The shared lock's first key; its second is the index name's slot. A rebuild takes it exclusively. */
    public static final String LOCK_NAMESPACE = "dynamic-index.archive";

    /**
     * How many lock slots the index names are hashed into. A batch takes one lock per slot it touches, so no batch
     * can fill PostgreSQL's lock table (max_locks_per_transaction, 64 by default); a rebuild's exclusive lock pauses
     * the live batches of the names that share its alias's slot as well, for as long as it holds it.
     */
    public static final int LOCK_SLOTS = 16;

    /** Sends a batch's bulks: one outcome per message, in order. */
    @FunctionalInterface
    public interface Bulks {
        List<MessageOutcome> apply(List<List<IndexOperation>> operationsPerMessage) throws InterruptedException;
    }

    /**
     * @param changeLog          also append every applied operation to {@code archive_change}
     * @param changeLogRetention change-log rows older than this are deleted
     * @param lockTimeout        longest wait for the shared lock (a rebuild's switch holds it exclusively)
     * @param statementTimeout   longest any other statement may run
     */
    public record Settings(boolean changeLog, Duration changeLogRetention, Duration lockTimeout,
                           Duration statementTimeout) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveWriter.class);
    private static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);
    private static final int CLEANUP_CHUNK = 50_000;
    /** Elasticsearch's version conflict reason: "... current version [11] is higher or equal to the one provided". */
    private static final Pattern CURRENT_VERSION = Pattern.compile("current version \\[(\\d+)\\]");
    /** Longest one clean-up may delete chunks for, on the worker that runs it. */
    private static final Duration CLEANUP_BUDGET = Duration.ofSeconds(5);

    private final String queue;
    private final DataSource dataSource;
    private final JsonMapper json;
    private final Settings settings;
    private final Clock clock;
    private final AtomicLong nextCleanup = new AtomicLong();

    public ArchiveWriter(String queue, DataSource dataSource, JsonMapper json, Settings settings, Clock clock) {
        this.queue = queue;
        this.dataSource = dataSource;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Sends the bulks and archives what they applied, as one unit.
     *
     * @return the bulks' outcomes, once the archive committed
     * @throws ArchiveException when PostgreSQL failed; nothing of the batch is archived then
     */
    public List<MessageOutcome> applyAndArchive(List<List<IndexOperation>> operationsPerMessage, Bulks bulks)
            throws InterruptedException {
        List<MessageOutcome> outcomes;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                lockIndices(connection, operationsPerMessage);
                outcomes = bulks.apply(operationsPerMessage);
                write(connection, applied(operationsPerMessage, outcomes));
                connection.commit();
            } catch (SQLException | RuntimeException | InterruptedException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new ArchiveException(queue + ": the archive did not take the batch: " + e.getMessage(), e);
        }
        cleanUpIfDue();
        return outcomes;
    }

    /**
     * Why PostgreSQL cannot store the operation although Elasticsearch can (a NUL character, U+0000, which neither
     * {@code text} nor {@code jsonb} holds, in its index name, id, routing or document), or null when it can.
     */
    public static String unstorable(IndexOperation operation) {
        if (hasNul(operation.key().index()) || hasNul(operation.key().id()) || hasNul(operation.routing())) {
            return "the index name, id or routing holds a NUL character (U+0000), which PostgreSQL cannot store";
        }
        return operation.doc() != null && hasNul(operation.doc())
                ? "the document holds a NUL character (U+0000), which PostgreSQL's jsonb cannot store" : null;
    }

    private static boolean hasNul(String text) {
        return text != null && text.indexOf('\u0000') >= 0;
    }

    private static boolean hasNul(JsonNode node) {
        if (node.isString()) {
            return hasNul(node.asString());
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (hasNul(field.getKey()) || hasNul(field.getValue())) {
                return true;
            }
        }
        for (JsonNode element : node.isArray() ? node : List.<JsonNode>of()) {
            if (hasNul(element)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the archive folds: every operation Elasticsearch applied, in message order, among them the repeats, and
     * the versions Elasticsearch answered for them.
     *
     * @param repeats  the stale operations whose version Elasticsearch holds already (an identity set)
     * @param versions the {@code _version} Elasticsearch answered per applied operation, where it answered one (an
     *                 identity map)
     */
    record Applied(List<IndexOperation> operations, Set<IndexOperation> repeats, Map<IndexOperation, Long> versions) {
    }

    /**
     * Every operation of every message but the ones that failed (dead-lettered or dropped) and the ones Elasticsearch
     * refused as stale, in message order; a stale operation whose version Elasticsearch holds already is kept as a
     * repeat (a retried batch's operation, applied by its first attempt, whose archive write was rolled back).
     */
    static Applied applied(List<List<IndexOperation>> operationsPerMessage, List<MessageOutcome> outcomes) {
        List<IndexOperation> applied = new ArrayList<>();
        Set<IndexOperation> repeats = identitySet();
        Map<IndexOperation, Long> versions = new IdentityHashMap<>();
        for (int i = 0; i < operationsPerMessage.size(); i++) {
            versions.putAll(outcomes.get(i).versions());
            Set<IndexOperation> left = identitySet();
            outcomes.get(i).failures().stream().map(Failure::operation).forEach(left::add);
            for (Failure stale : outcomes.get(i).stale()) {
                (repeat(stale) ? repeats : left).add(stale.operation());
            }
            operationsPerMessage.get(i).stream().filter(operation -> !left.contains(operation))
                    .forEach(applied::add);
        }
        return new Applied(applied, repeats, versions);
    }

    /** Whether Elasticsearch's conflict names the operation's own version as the current one. */
    private static boolean repeat(Failure stale) {
        Matcher current = CURRENT_VERSION.matcher(String.valueOf(stale.outcome().reason()));
        return current.find() && Long.valueOf(current.group(1)).equals(stale.operation().version());
    }

    private static Set<IndexOperation> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private void lockIndices(Connection connection, List<List<IndexOperation>> operationsPerMessage)
            throws SQLException {
        Set<String> indices = new LinkedHashSet<>();
        operationsPerMessage.forEach(operations -> operations.forEach(o -> indices.add(o.key().index())));
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = " + settings.lockTimeout().toMillis());
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_xact_lock_shared("
                + "hashtext('" + LOCK_NAMESPACE + "'), slot) FROM (SELECT DISTINCT " + lockSlot("name") + " AS slot "
                + "FROM unnest(?::text[]) AS name ORDER BY slot) AS slots")) {
            statement.setArray(1, connection.createArrayOf("text", indices.toArray()));
            statement.execute();
        }
    }

    /** The two keys of the archive lock of an index name, in SQL: the namespace's hash and the name's slot. */
    public static String lockKeys(String nameExpression) {
        return "hashtext('" + LOCK_NAMESPACE + "'), " + lockSlot(nameExpression);
    }

    private static String lockSlot(String nameExpression) {
        return "hashtext(" + nameExpression + ") & " + (LOCK_SLOTS - 1);
    }

    private void write(Connection connection, Applied applied) throws SQLException {
        if (applied.operations().isEmpty()) {
            return;
        }
        ArchiveFold.Result result = ArchiveFold.fold(read(connection, applied.operations()), applied.operations(),
                applied.repeats(), applied.versions());
        upsert(connection, result.changed());
        if (settings.changeLog()) {
            log(connection, result.effective());
        }
    }

    /**
     * The archived states of the documents the operations touch, locked until the commit; their sources are read
     * only for the documents that an update may merge into.
     */
    private Map<DocumentKey, DocumentState> read(Connection connection, List<IndexOperation> operations)
            throws SQLException {
        Map<DocumentKey, Boolean> needSource = new HashMap<>();
        operations.forEach(o -> needSource.merge(o.key(), o.phase() == Phase.UPDATE, Boolean::logicalOr));
        List<DocumentKey> keys = new ArrayList<>(needSource.keySet());
        Map<DocumentKey, DocumentState> states = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT a.index_name, a.doc_id, a.routing, "
                + "a.version, CASE WHEN k.need THEN a.document::text END FROM archive_document a "
                + "JOIN unnest(?::text[], ?::text[], ?::boolean[]) AS k(index_name, doc_id, need) "
                + "ON a.index_name = k.index_name AND a.doc_id = k.doc_id "
                + "ORDER BY a.index_name, a.doc_id FOR UPDATE OF a")) {
            statement.setQueryTimeout(timeoutSeconds());
            statement.setArray(1, texts(connection, keys.stream().map(DocumentKey::index).toList()));
            statement.setArray(2, texts(connection, keys.stream().map(DocumentKey::id).toList()));
            statement.setArray(3, connection.createArrayOf("boolean",
                    keys.stream().map(needSource::get).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String source = rows.getString(5);
                    JsonNode document = source == null ? null : json.readTree(source);
                    states.put(new DocumentKey(rows.getString(1), rows.getString(2)),
                            new DocumentState(rows.getString(3), (Long) rows.getObject(4), document));
                }
            }
        }
        return states;
    }

    private void upsert(Connection connection, Map<DocumentKey, DocumentState> changed) throws SQLException {
        List<DocumentKey> keys = new ArrayList<>(changed.keySet());
        List<DocumentState> states = keys.stream().map(changed::get).toList();
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO archive_document (index_name, "
                + "doc_id, routing, version, document, deleted, changed_at, source_queue, change_seq) "
                + "SELECT index_name, doc_id, routing, version, document::jsonb, document IS NULL, now(), ?, "
                + "nextval('archive_change_seq') "
                + "FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[]) "
                + "AS t(index_name, doc_id, routing, version, document) "
                + "ON CONFLICT (index_name, doc_id) DO UPDATE SET routing = excluded.routing, "
                + "version = excluded.version, document = excluded.document, deleted = excluded.deleted, "
                + "changed_at = excluded.changed_at, source_queue = excluded.source_queue, "
                + "change_seq = excluded.change_seq "
                // another writer (a second queue or indexer on the index) may have inserted the row since it was
                // read as absent: a lower version never overwrites what it committed
                + "WHERE archive_document.version IS NULL OR excluded.version >= archive_document.version")) {
            statement.setQueryTimeout(timeoutSeconds());
            statement.setString(1, queue);
            statement.setArray(2, texts(connection, keys.stream().map(DocumentKey::index).toList()));
            statement.setArray(3, texts(connection, keys.stream().map(DocumentKey::id).toList()));
            statement.setArray(4, texts(connection, states.stream().map(DocumentState::routing).toList()));
            statement.setArray(5, connection.createArrayOf("bigint", states.stream().map(DocumentState::version)
                    .toArray()));
            statement.setArray(6, texts(connection, states.stream().map(state -> state.deleted() ? null
                    : json.writeValueAsString(state.document())).toList()));
            statement.executeUpdate();
        }
    }

    private void log(Connection connection, List<IndexOperation> operations) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO archive_change (index_name, "
                + "doc_id, operation, version, document, changed_at, source_queue) "
                + "SELECT index_name, doc_id, operation, version, document::jsonb, now(), ? "
                + "FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[]) "
                + "WITH ORDINALITY AS t(index_name, doc_id, operation, version, document, position) "
                + "ORDER BY position")) {
            statement.setQueryTimeout(timeoutSeconds());
            statement.setString(1, queue);
            statement.setArray(2, texts(connection, operations.stream().map(o -> o.key().index()).toList()));
            statement.setArray(3, texts(connection, operations.stream().map(o -> o.key().id()).toList()));
            statement.setArray(4, texts(connection, operations.stream()
                    .map(o -> o.phase().name().toLowerCase(Locale.ROOT)).toList()));
            statement.setArray(5, connection.createArrayOf("bigint", operations.stream()
                    .map(IndexOperation::version).toArray()));
            statement.setArray(6, texts(connection, operations.stream()
                    .map(o -> o.doc() == null ? null : json.writeValueAsString(o.doc())).toList()));
            statement.executeUpdate();
        }
    }

    /**
     * Deletes change-log rows past the retention, a chunk at a time for up to five seconds, at most once a minute
     * (chunks of 50,000 rows); housekeeping, so a failure is logged and tried again next time
     * rather than holding the batch.
     */
    private void cleanUpIfDue() {
        long now = clock.millis();
        long due = nextCleanup.get();
        if (!settings.changeLog() || now < due || !nextCleanup.compareAndSet(due, now + CLEANUP_EVERY.toMillis())) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("DELETE FROM archive_change WHERE seq IN "
                     + "(SELECT seq FROM archive_change WHERE source_queue = ? AND changed_at < now() - "
                     + "make_interval(secs => ?) LIMIT " + CLEANUP_CHUNK + ")")) {
            statement.setQueryTimeout(timeoutSeconds());
            statement.setString(1, queue);
            statement.setLong(2, settings.changeLogRetention().toSeconds());
            long deleted = 0;
            long budgetEnds = clock.millis() + CLEANUP_BUDGET.toMillis();
            int chunk;
            do {
                chunk = statement.executeUpdate();
                deleted += chunk;
            } while (chunk == CLEANUP_CHUNK && clock.millis() < budgetEnds);
            if (deleted > 0) {
                LOG.info("{}: deleted {} change-log row(s) older than {}", queue, deleted,
                        settings.changeLogRetention());
            }
        } catch (SQLException e) {
            LOG.warn("{}: change-log clean-up failed, next try in {}: {}", queue, CLEANUP_EVERY, e.toString());
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, settings.statementTimeout().toSeconds());
    }

    private static Array texts(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}
