package io.dynamicindex.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.outbox.support.Copies;
import io.dynamicindex.outbox.support.Published;
import io.dynamicindex.outbox.support.RelayHarness;

/**
 * Two relay instances on one outbox while producers insert. Only one publishes at any moment: in queue order the
 * publishing instance changes exactly once, at the handover. A graceful stop hands over with every row exactly once;
 * a holder frozen mid-stream (SIGSTOP, as a long GC pause) is replaced and, once it runs again, publishes nothing
 * beside the new holder.
 */
class TwoRelaysIT {

    @Test
    void aGracefulHandoverPublishesEveryRowExactlyOnce() throws Exception {
        try (RelayHarness harness = new RelayHarness()) {
            ConfigurableApplicationContext first = harness.startInJvm();
            Producer producer = Producer.start(harness);
            harness.startInJvm();
            Thread.sleep(1_500);
            first.close();
            Thread.sleep(1_500);
            int rows = producer.stop();

            await().atMost(Duration.ofSeconds(20)).until(() -> harness.depth() >= rows);
            Thread.sleep(500);
            List<Published> messages = harness.drain();

            assertThat(messages).hasSize(rows);
            assertThat(Copies.byOutboxId(messages)).hasSize(rows);
            assertThat(messages).noneMatch(Published::possibleDuplicate);
            assertThat(Copies.instanceRuns(messages)).as("the first instance, then the second").hasSize(2);
        }
    }

    @Test
    void aFrozenHolderPublishesNothingBesideTheOneThatTookOver() throws Exception {
        try (RelayHarness harness = new RelayHarness()) {
            DaemonProcess first = harness.startProcess("frozen-first");
            Producer producer = Producer.start(harness);
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.depth() > 0);
            harness.startProcess("frozen-second");
            String frozenHolder = leaseHolder(harness);
            signal("STOP", first);
            await().atMost(Duration.ofSeconds(30)).until(() -> !leaseHolder(harness).equals(frozenHolder));
            long depth = harness.depth();
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.depth() > depth);
            signal("CONT", first);
            Thread.sleep(2_000);
            int rows = producer.stop();

            await().atMost(Duration.ofSeconds(20)).until(() -> harness.depth() >= rows);
            Thread.sleep(1_000);
            List<Published> messages = harness.drain();

            assertThat(Copies.byOutboxId(messages)).as("every row at least once").hasSize(rows);
            assertThat(Copies.instanceRuns(messages)).as("the frozen instance, then the second, never again the "
                    + "first").hasSize(2);
            assertThat(Copies.unmarkedTwice(messages)).as("a second copy is always marked").isEmpty();
        }
    }

    /** The instance holding the relay's lease (each instance writes its own id as {@code locked_by}). */
    private static String leaseHolder(RelayHarness harness) throws SQLException {
        try (Connection connection = harness.database(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT locked_by FROM outbox_relay_lease")) {
            assertThat(row.next()).as("a lease row").isTrue();
            return row.getString(1);
        }
    }

    private static void signal(String signal, DaemonProcess process) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor())
                .isZero();
    }

    /** Inserts one row every few milliseconds, each in its own transaction, until stopped. */
    private record Producer(Thread thread, AtomicBoolean running, AtomicInteger rows) {

        static Producer start(RelayHarness harness) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger rows = new AtomicInteger();
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        harness.insert(5, 3);
                        rows.addAndGet(5);
                        Thread.sleep(5);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "producer");
            thread.start();
            return new Producer(thread, running, rows);
        }

        int stop() throws InterruptedException {
            running.set(false);
            thread.join();
            return rows.get();
        }
    }
}
