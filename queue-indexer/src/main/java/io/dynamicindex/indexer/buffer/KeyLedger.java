package io.dynamicindex.indexer.buffer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Remembers which worker holds unfinished work on which document, so that all work on one document stays on one
 * worker and is applied in arrival order. A message is given to the worker that already holds any of its documents;
 * when its documents are held by two different workers (a prev- or trigger-delete reaching into another worker's
 * documents), the consumer waits until only one holder is left. Workers never wait for the ledger, so this cannot
 * deadlock; at worst a consumer pauses, which pushes back to the broker.
 */
final class KeyLedger {

    private static final long WAIT_SLICE_MILLIS = 200;

    private final Map<String, Holding> holdings = new HashMap<>();
    private boolean closed;

    /** The worker that now holds every key, chosen among the current holders, or preferred when none holds any. */
    synchronized int assign(List<String> keys, int preferred) throws InterruptedException {
        while (!closed) {
            Set<Integer> holders = holders(keys);
            if (holders.size() <= 1) {
                int worker = holders.isEmpty() ? preferred : holders.iterator().next();
                for (String key : keys) {
                    holdings.computeIfAbsent(key, k -> new Holding(worker)).pending++;
                }
                return worker;
            }
            wait(WAIT_SLICE_MILLIS);
        }
        throw new InterruptedException("the pipeline is stopping");
    }

    synchronized void release(List<String> keys) {
        for (String key : keys) {
            Holding holding = holdings.get(key);
            if (holding != null && --holding.pending == 0) {
                holdings.remove(key);
            }
        }
        notifyAll();
    }

    /** Wakes and refuses every waiting consumer: their deliveries stay unacknowledged and are redelivered. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized int heldKeys() {
        return holdings.size();
    }

    private Set<Integer> holders(List<String> keys) {
        Set<Integer> holders = new HashSet<>();
        for (String key : keys) {
            Holding holding = holdings.get(key);
            if (holding != null) {
                holders.add(holding.worker);
            }
        }
        return holders;
    }

    private static final class Holding {
        private final int worker;
        private int pending;

        Holding(int worker) {
            this.worker = worker;
        }
    }
}
