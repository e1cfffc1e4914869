package io.dynamicindex.outbox.relay;

import java.time.Instant;

/**
 * A row of {@code outbox_rejected}: an outbox row the relay did not publish because of the row itself.
 *
 * @param id         its id in the outbox
 * @param queue      the queue it names
 * @param payload    the change, as the producer inserted it
 * @param createdAt  when the producer inserted it
 * @param reason     why the relay refused it
 * @param rejectedAt when the relay moved it here
 */
public record RejectedRow(long id, String queue, String partner, String documentKey, String payload,
                          Instant createdAt, String reason, Instant rejectedAt) {
}
