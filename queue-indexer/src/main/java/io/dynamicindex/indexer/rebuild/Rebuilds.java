package io.dynamicindex.indexer.rebuild;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * The daemon's rebuilds: each runs on a thread of its own named {@code rebuild-<alias>}; the request that started
 * it returns at once. Stopping the daemon interrupts them; they record where they stood and stay resumable.
 */
@Service
class Rebuilds implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(Rebuilds.class);
    private static final long STOP_WAIT_MILLIS = 10_000;

    private final Rebuilder rebuilder;
    private final Map<String, Thread> running = new ConcurrentHashMap<>();

    Rebuilds(Rebuilder rebuilder) {
        this.rebuilder = rebuilder;
    }

    /** Starts a rebuild in the background; refusals are thrown before anything changed. */
    RebuildView start(RebuildRequest request) {
        return launch(rebuilder.start(request));
    }

    /** Resumes an unfinished rebuild in the background. */
    RebuildView resume(String alias) {
        return launch(rebuilder.resume(alias));
    }

    /** The alias's rebuild, or null when none is recorded. */
    RebuildView view(String alias) {
        return rebuilder.state(alias).map(state -> RebuildView.of(state, rebuilder.running(alias))).orElse(null);
    }

    private RebuildView launch(Rebuilder.Claim claim) {
        String alias = claim.alias();
        Thread thread = new Thread(() -> runToEnd(claim), "rebuild-" + alias);
        running.put(alias, thread);
        thread.start();
        return view(alias);
    }

    private void runToEnd(Rebuilder.Claim claim) {
        try {
            rebuilder.run(claim);
        } catch (RuntimeException e) {
            // recorded in the state row and logged by the rebuilder
        } finally {
            running.remove(claim.alias());
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        for (Map.Entry<String, Thread> rebuild : running.entrySet()) {
            LOG.info("{}: stopping the rebuild; resume it after the restart", rebuild.getKey());
            rebuild.getValue().interrupt();
        }
        for (Thread thread : running.values()) {
            thread.join(STOP_WAIT_MILLIS);
        }
    }
}
