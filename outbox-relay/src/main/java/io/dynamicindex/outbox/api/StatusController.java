package io.dynamicindex.outbox.api;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.dynamicindex.outbox.relay.OutboxRelay;
import io.dynamicindex.outbox.relay.RelayStatus;

/**
 * {@code GET /api/v1/status}: the relay's state and reason, this instance and the holder, the stored offset and its
 * pending gaps, and the lag (rows waiting above the offset, age of the oldest), from memory. The offset and lag are
 * refreshed from PostgreSQL every 5 s, and after every batch on the holder.
 */
@RestController
class StatusController {

    private final OutboxRelay relay;

    StatusController(OutboxRelay relay) {
        this.relay = relay;
    }

    @GetMapping("/api/v1/status")
    RelayStatus status() {
        return relay.status();
    }
}
