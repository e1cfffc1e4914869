package io.dynamicindex.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.outbox.support.Copies;
import io.dynamicindex.outbox.support.Published;
import io.dynamicindex.outbox.support.RelayHarness;

/**
 * kill -9 of the relay process mid-stream, then a new process: every row reaches the queue at least once, and every
 * second copy is marked {@code x-possible-duplicate}.
 */
class KillRecoveryIT {

    private static final int ROWS = 40_000;

    @Test
    void losesNothingAndMarksTheResentRowsAfterAKill() throws Exception {
        try (RelayHarness harness = new RelayHarness()) {
            Map<String, String> slow = Map.of("dynamic-index.outbox.batch-size", "50");
            DaemonProcess first = harness.startProcess("kill-first", slow);
            harness.insert(ROWS, 100);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> harness.depth() >= 2_000);
            first.kill();
            long atKill = harness.depth();
            assertThat(atKill).as("killed mid-stream").isLessThan(ROWS);

            harness.startProcess("kill-second", slow);
            await().atMost(Duration.ofSeconds(45)).until(() -> harness.depth() >= ROWS);
            Thread.sleep(500);
            List<Published> messages = harness.drain();

            assertThat(Copies.byOutboxId(messages).keySet()).as("every row at least once")
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
            assertThat(Copies.unmarkedTwice(messages)).as("a second copy is always marked").isEmpty();
            assertThat(Copies.instanceRuns(messages)).as("the killed instance, then the new one").hasSize(2);
            assertThat(messages.subList((int) atKill, messages.size())).as("the new instance marks what the "
                    + "killed one may have published").anyMatch(Published::possibleDuplicate);
        }
    }
}
