package io.dynamicindex.indexer.bulk;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.elasticsearch.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dynamicindex.indexer.health.EngineStatus;

/**
 * Reads which search engine the indexer writes to: at startup, where an unsupported engine stops it, and again on
 * the first answer after requests got none, since what answers after an outage may be an upgraded or another
 * cluster. Each read logs one INFO line and is shown by {@link EngineStatus}. An engine that cannot be reached at
 * startup does not stop it (the queues back off meanwhile); it is read once it answers. Owns no thread: a read runs
 * on the thread whose request was answered, one read at a time, and costs one or two small GETs.
 */
public final class EngineWatch implements RestClientTransport.Reachability {

    /** How long after an answer that could not be read (an error status, not an engine's JSON) to try again. */
    static final Duration REREAD_UNREADABLE = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(EngineWatch.class);

    /** Sends one request and returns its answer, of any status; the seam that unit tests replace. */
    @FunctionalInterface
    public interface Calls {
        BulkTransport.Response perform(Request request) throws IOException;
    }

    private final Calls calls;
    private final String where;
    private final EngineStatus status;
    private final Clock clock;
    private final AtomicBoolean reading = new AtomicBoolean();
    /** When the next answered request should read the engine again; null while no read is due. */
    private volatile Instant nextRead = Instant.EPOCH;

    /**
     * @param calls  the requests to the engine
     * @param where  the hosts, for logs and messages
     * @param status where what was read is shown
     * @param clock  decides when an unreadable answer is asked again
     */
    public EngineWatch(Calls calls, String where, EngineStatus status, Clock clock) {
        this.calls = calls;
        this.where = where;
        this.status = status;
        this.clock = clock;
    }

    /**
     * Reads the engine before the queues start.
     *
     * @throws IllegalStateException when it is an engine the indexer does not support; the message names the version
     *                               found, the supported ones and the key to change
     */
    public void checkAtStartup() {
        Optional<EngineVersion> engine = readOnce();
        if (engine.isPresent() && !engine.get().supported()) {
            throw new IllegalStateException(engine.get().refusal(where));
        }
    }

    @Override
    public void unreachable() {
        nextRead = Instant.EPOCH;
    }

    @Override
    public void answered() {
        Instant due = nextRead;
        if (due == null || clock.instant().isBefore(due)) {
            return;
        }
        readOnce().filter(engine -> !engine.supported()).ifPresent(engine -> LOG.error(
                "{}; the health component elasticsearch is DOWN until it is replaced", engine.refusal(where)));
    }

    private Optional<EngineVersion> readOnce() {
        if (!reading.compareAndSet(false, true)) {
            return Optional.empty();
        }
        try {
            return read();
        } finally {
            reading.set(false);
        }
    }

    private Optional<EngineVersion> read() {
        nextRead = null;
        try {
            EngineVersion engine = fetch();
            if (engine.supported()) {
                status.read(engine.distribution(), engine.number());
                LOG.info("{} at {}", engine, where);
            } else {
                status.unsupported(engine.distribution(), engine.number(), engine.refusal(where));
            }
            return Optional.of(engine);
        } catch (IOException e) {
            nextRead = Instant.EPOCH;
            status.unreadable("no answer to read the version: " + e);
            LOG.warn("cannot read the search engine's version at {} now ({}); it is read once the engine answers",
                    where, e.toString());
        } catch (IllegalArgumentException e) {
            nextRead = clock.instant().plus(REREAD_UNREADABLE);
            status.unreadable(e.getMessage());
            LOG.warn("cannot read the search engine's version at {}: {}; asked again in {} s", where, e.getMessage(),
                    REREAD_UNREADABLE.toSeconds());
        }
        return Optional.empty();
    }

    private EngineVersion fetch() throws IOException {
        BulkTransport.Response root = calls.perform(new Request("GET", "/"));
        Optional<EngineVersion> engine = EngineVersion.fromRoot(root.status(), root.body());
        if (engine.isPresent()) {
            return engine.get();
        }
        Request nodes = new Request("GET", "/_nodes/_local");
        nodes.addParameter("filter_path", "nodes.*.version");
        BulkTransport.Response answer = calls.perform(nodes);
        return EngineVersion.fromNodes(answer.status(), answer.body());
    }
}
