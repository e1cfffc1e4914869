package io.dynamicindex.indexer.buffer;

import java.util.List;

import tools.jackson.databind.JsonNode;

import io.dynamicindex.indexer.consume.InboundDelivery;

/**
 * One canonical (or partner) message waiting in the buffer.
 *
 * @param delivery   the AMQP delivery it belongs to
 * @param body       the parsed message, or null when it is not valid JSON
 * @param raw        the message's bytes, kept for the dead-letter store
 * @param parseError why it could not be parsed, or null
 * @param keys       the documents it touches, held in the ledger until it is done
 * @param ledger     where its documents are held
 */
record WorkItem(InboundDelivery delivery, JsonNode body, byte[] raw, String parseError, List<String> keys,
                KeyLedger ledger) {

    /** Settles this part of its delivery and frees its documents for other workers. */
    void done() {
        delivery.partDone();
        release();
    }

    /** Frees its documents without settling: its delivery goes back to the broker with its channel. */
    void release() {
        ledger.release(keys);
    }

    /** Whether its channel is still open; if not, the broker redelivers it and this copy must not be applied. */
    boolean live() {
        return delivery.acks().isOpen();
    }
}
