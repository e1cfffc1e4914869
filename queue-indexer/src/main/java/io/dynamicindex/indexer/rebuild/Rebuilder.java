package io.dynamicindex.indexer.rebuild;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rebuilds the index behind an alias from the archive, without stopping live indexing: live batches keep writing
 * through the alias to the old index while only the rebuild writes the new one, so the two never race.
 * <ol>
 * <li>{@link #start}: checks the request, takes the alias's rebuild lease, creates the new index (without refresh
 * and replicas when fast-copy) and records the rebuild in {@code archive_rebuild}.</li>
 * <li>{@link #run}: reads the mark (the change sequence under the archive's exclusive lock), copies every live
 * archive row (and versioned tombstone) by document id in bounded bulks (the state row's last_doc_id is the resume point), restores refresh
 * and replicas, then copies the rows changed after the mark in catch-up rounds, each up to a horizon read under the
 * lock, until a round copies fewer than catch-up-threshold.</li>
 * <li>The switch: one transaction holds the exclusive lock (live batches of the alias pause), copies the last
 * changes, refreshes the new index and moves the alias with one atomic {@code _aliases} call.</li>
 * </ol>
 * A run that fails records the reason and stays resumable ({@link #resume}) from where it stood.
 */
public final class Rebuilder {

    private static final Logger LOG = LoggerFactory.getLogger(Rebuilder.class);
    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9_.+-]{0,254}");
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final DataSource leases;
    private final RebuildStore store;
    private final ArchiveReader archive;
    private final ArchiveLock lock;
    private final ElasticsearchCalls elasticsearch;
    private final JsonMapper json;
    private final RebuildProperties settings;
    private final LossAudit lossAudit;
    private final Clock clock;

    Rebuilder(DataSource leases, RebuildStore store, ArchiveReader archive, ArchiveLock lock,
              ElasticsearchCalls elasticsearch, JsonMapper json, RebuildProperties settings, LossAudit lossAudit,
              Clock clock) {
        this.leases = leases;
        this.store = store;
        this.archive = archive;
        this.lock = lock;
        this.elasticsearch = elasticsearch;
        this.json = json;
        this.settings = settings;
        this.lossAudit = lossAudit;
        this.clock = clock;
    }

    /** A rebuild that may run: its lease, held until {@link #run} ends (or close, when it never runs). */
    public static final class Claim implements AutoCloseable {

        private final RebuildLease lease;

        private Claim(RebuildLease lease) {
            this.lease = lease;
        }

        public String alias() {
            return lease.alias();
        }

        @Override
        public void close() {
            lease.close();
        }
    }

    /**
     * Begins a rebuild: refuses (400, 404, 409) what cannot begin, among it the first rebuild of a concrete index
     * that holds documents the archive has no row for unless the request allows their loss (then audited), creates
     * the new index and records the rebuild.
     * The returned claim holds the alias's lease; hand it to {@link #run}.
     */
    public Claim start(RebuildRequest request) {
        String alias = checkName("alias", request.alias());
        ObjectNode given = IndexSettings.parse(json, request.settings());
        String target = request.targetIndex() == null || request.targetIndex().isBlank()
                ? alias + "-" + SUFFIX.format(clock.instant()) : checkName("targetIndex", request.targetIndex());
        if (target.equals(alias)) {
            throw new RebuildRefusal(RebuildRefusal.Kind.BAD_INPUT, "targetIndex must differ from the alias");
        }
        RebuildLease lease = RebuildLease.take(leases, alias);
        try {
            checkStartable(alias, target, request.replace());
            checkLoss(alias, request);
            elasticsearch.createIndex(alias, target, IndexSettings.forCreate(given, settings.fastCopy()));
            store.begin(alias, target, json.writeValueAsString(given), store.liveDocuments(alias));
            LOG.info("{}: rebuild into new index {} begins", alias, target);
            return new Claim(lease);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** Continues a recorded, unfinished rebuild where it stood; hand the claim to {@link #run}. */
    public Claim resume(String alias) {
        RebuildLease lease = RebuildLease.take(leases, checkName("alias", alias));
        try {
            RebuildState state = store.find(alias).orElseThrow(() -> new RebuildRefusal(
                    RebuildRefusal.Kind.UNKNOWN, "no rebuild of " + alias + " is recorded; start one"));
            if (!state.resumable()) {
                throw new RebuildRefusal(RebuildRefusal.Kind.CONFLICT, "the rebuild of " + alias
                        + " is finished (switched to " + state.targetIndex() + "); start a new one");
            }
            store.resumed(alias);
            LOG.info("{}: rebuild into {} resumes in phase {} (copied {}, last id {}, mark {})", alias,
                    state.targetIndex(), state.continuesIn().column(), state.copied(), state.lastDocId(),
                    state.markSeq());
            return new Claim(lease);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** The recorded state of the alias's rebuild. */
    public Optional<RebuildState> state(String alias) {
        return store.find(alias);
    }

    /** Whether a run (in any process) holds the alias's rebuild lease. */
    public boolean running(String alias) {
        return store.leaseHeld(alias);
    }

    /**
     * Runs the claimed rebuild to its switch, in the calling thread, and releases the claim. A failure is recorded
     * in the state row (phase failed, resumable) and thrown.
     */
    public RebuildState run(Claim claim) {
        String alias = claim.alias();
        try (claim) {
            RebuildState state = store.find(alias).orElseThrow();
            Progress progress = new Progress(alias, state, settings.progressEvery());
            try {
                RebuildState done = runPhases(claim.lease, state, progress);
                progress.finished(done);
                return done;
            } catch (RebuildStopped e) {
                LOG.warn("{}: rebuild stopped in phase {}; resume it", alias, progress.phase().column());
                recordFailure(alias, progress.phase(), e);
                throw e;
            } catch (RuntimeException e) {
                LOG.error("{}: rebuild failed in phase {}: {}", alias, progress.phase().column(), e.getMessage(), e);
                recordFailure(alias, progress.phase(), e);
                throw e instanceof RebuildFailure ? e : new RebuildFailure(String.valueOf(e.getMessage()), e);
            }
        }
    }

    private void recordFailure(String alias, RebuildPhase phase, RuntimeException failure) {
        try {
            store.failed(alias, phase, String.valueOf(failure.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("{}: cannot record the failure in archive_rebuild ({}); the state row still shows phase {}",
                    alias, e.getMessage(), phase.column());
        }
    }

    private RebuildState runPhases(RebuildLease lease, RebuildState state, Progress progress) {
        String alias = state.alias();
        String target = state.targetIndex();
        ObjectNode given = IndexSettings.parse(json, state.settings());
        if (!elasticsearch.indexExists(alias, target)) {
            LOG.warn("{}: new index {} is missing; creating it again and copying from the start", alias, target);
            elasticsearch.createIndex(alias, target, IndexSettings.forCreate(given, settings.fastCopy()));
            store.begin(alias, target, state.settings(), store.liveDocuments(alias));
            state = store.find(alias).orElseThrow();
        }
        long mark = state.markSeq() != null ? state.markSeq() : mark(alias);
        if (state.continuesIn() == RebuildPhase.COPYING) {
            progress.enter(RebuildPhase.COPYING);
            backfill(lease, state, progress);
            store.catchingUp(alias);
        }
        progress.enter(RebuildPhase.CATCHING_UP);
        elasticsearch.putSettings(alias, target, IndexSettings.restore(json, given));
        elasticsearch.awaitPrimaries(alias, target);
        mark = catchUp(lease, alias, target, mark, progress);
        switchAlias(lease, alias, target, mark, progress);
        return store.find(alias).orElseThrow();
    }

    private long mark(String alias) {
        long mark = lock.horizon(alias);
        store.marked(alias, mark);
        LOG.info("{}: mark at change {}; changes after it are caught up after the copy", alias, mark);
        return mark;
    }

    private void backfill(RebuildLease lease, RebuildState state, Progress progress) {
        String alias = state.alias();
        String last = state.lastDocId();
        List<ArchiveRow> page = archive.toCopyAfter(alias, last, settings.batchSize());
        while (!page.isEmpty()) {
            lease.check();
            for (RebuildBulkBody bulk : bulks(state.targetIndex(), page)) {
                Pause.checkInterrupted();
                elasticsearch.bulk(alias, bulk);
                String lastOfBulk = bulk.rows().get(bulk.rows().size() - 1).docId();
                store.copied(alias, lastOfBulk, bulk.rows().size());
                progress.copied(bulk.rows().size());
            }
            last = page.get(page.size() - 1).docId();
            page = archive.toCopyAfter(alias, last, settings.batchSize());
        }
        LOG.info("{}: copy into {} complete ({} documents in this run)", alias, state.targetIndex(),
                progress.copiedThisRun());
    }

    /** Rounds up to a fresh horizon until one copies fewer than the threshold; returns the last horizon. */
    private long catchUp(RebuildLease lease, String alias, String target, long mark, Progress progress) {
        for (int round = 1; ; round++) {
            long horizon = lock.horizon(alias);
            int copied = copyChanges(lease, alias, target, mark, horizon, progress);
            mark = horizon;
            store.marked(alias, mark);
            LOG.info("{}: catch-up round {} copied {} change(s), now at change {}", alias, round, copied, mark);
            if (copied < settings.catchUpThreshold()) {
                return mark;
            }
            if (round >= settings.catchUpRounds()) {
                throw new RebuildFailure("live changes arrive faster than the catch-up copies them: round " + round
                        + " still copied " + copied + " (catch-up-threshold " + settings.catchUpThreshold()
                        + "); resume later, or raise catch-up-rounds");
            }
        }
    }

    /** Copies the rows with afterSeq &lt; change_seq &le; upToSeq in change order; returns how many. */
    private int copyChanges(RebuildLease lease, String alias, String target, long afterSeq, long upToSeq,
                            Progress progress) {
        int copied = 0;
        long from = afterSeq;
        List<ArchiveRow> page = archive.changedBetween(alias, from, upToSeq, settings.batchSize());
        while (!page.isEmpty()) {
            lease.check();
            for (RebuildBulkBody bulk : bulks(target, page)) {
                Pause.checkInterrupted();
                elasticsearch.bulk(alias, bulk);
                store.caughtUp(alias, bulk.rows().size());
                progress.caughtUp(bulk.rows().size());
                copied += bulk.rows().size();
            }
            from = page.get(page.size() - 1).changeSeq();
            page = archive.changedBetween(alias, from, upToSeq, settings.batchSize());
        }
        return copied;
    }

    /** Under the exclusive lock: the last changes, a refresh, the atomic alias move and the state row. */
    private void switchAlias(RebuildLease lease, String alias, String target, long mark, Progress progress) {
        AliasState previous = lock.whileHolding(alias, () -> {
            long paused = System.nanoTime();
            copyChanges(lease, alias, target, mark, Long.MAX_VALUE, progress);
            elasticsearch.refresh(alias, target);
            AliasState current = elasticsearch.aliasState(alias);
            moveAlias(alias, target, current);
            store.switched(alias, current.describe(alias));
            LOG.info("{}: alias moved to {} from {}; live writes of the alias paused {} ms", alias, target,
                    current.describe(alias), (System.nanoTime() - paused) / 1_000_000);
            return current;
        });
        if (!previous.indices().isEmpty()) {
            LOG.info("{}: old index(es) {} kept without the alias; delete them when no longer needed", alias,
                    previous.indices());
        }
    }

    /** One _aliases call; when it fails but the alias points to the target alone, it did apply. */
    private void moveAlias(String alias, String target, AliasState current) {
        try {
            elasticsearch.updateAliases(alias, AliasSwitch.body(json, alias, target, current));
        } catch (RebuildFailure e) {
            if (!elasticsearch.aliasState(alias).equals(AliasState.aliasOf(List.of(target)))) {
                throw e;
            }
            LOG.warn("{}: the alias call failed ({}) but the alias points to {}: it did apply", alias,
                    e.getMessage(), target);
        }
    }

    /** The page cut into bulks of at most batch-bytes (each holds at least one document). */
    private List<RebuildBulkBody> bulks(String target, List<ArchiveRow> page) {
        List<RebuildBulkBody> bulks = new ArrayList<>();
        RebuildBulkBody bulk = new RebuildBulkBody(json, target);
        for (ArchiveRow row : page) {
            if (!bulk.isEmpty() && bulk.size() >= settings.batchBytes().toBytes()) {
                bulks.add(bulk);
                bulk = new RebuildBulkBody(json, target);
            }
            bulk.add(row);
        }
        bulks.add(bulk);
        return bulks;
    }

    private static String checkName(String field, String name) {
        if (name == null || !INDEX_NAME.matcher(name).matches()) {
            throw new RebuildRefusal(RebuildRefusal.Kind.BAD_INPUT, field + " must be an Elasticsearch index name "
                    + "(lower case letters, digits, _ . + -, not starting with _ . + -), got " + name);
        }
        return name;
    }

    /** The switch deletes a concrete index of the alias's name: refuses to drop what the archive never saw. */
    private void checkLoss(String alias, RebuildRequest request) {
        if (!elasticsearch.aliasState(alias).concreteIndex()) {
            return;
        }
        Unarchived unarchived = Unarchived.of(alias, elasticsearch, archive, lock, store, json);
        if (unarchived.count() == 0) {
            return;
        }
        if (!request.allowLoss()) {
            throw new RebuildRefusal(RebuildRefusal.Kind.CONFLICT, "first rebuild of a concrete index: "
                    + unarchived.describe(alias) + "; the switch deletes the index, so they would be lost. Write them "
                    + "again through an archived queue, or repeat the request with \"allowLoss\": true (on the "
                    + "command line --allow-loss) to drop them");
        }
        lossAudit.record(request.actor(), alias, unarchived);
    }

    private void checkStartable(String alias, String target, boolean replace) {
        store.find(alias).filter(state -> state.resumable() && !replace).ifPresent(state -> {
            throw new RebuildRefusal(RebuildRefusal.Kind.CONFLICT, "an unfinished rebuild of " + alias + " into "
                    + state.targetIndex() + " is recorded (phase " + state.phase().column() + "); resume it with "
                    + "POST /api/v1/rebuilds/" + alias + "/resume, or start anew with \"replace\": true");
        });
        if (!store.archiveKnows(alias)) {
            throw new RebuildRefusal(RebuildRefusal.Kind.UNKNOWN, "the archive holds no document of " + alias
                    + ": enable dynamic-index.indexer.queues.<queue>.archive.enabled for the queues that write it");
        }
        if (elasticsearch.indexExists(alias, target)) {
            throw new RebuildRefusal(RebuildRefusal.Kind.CONFLICT, "index " + target + " exists already; name "
                    + "another targetIndex or delete it");
        }
    }
}
