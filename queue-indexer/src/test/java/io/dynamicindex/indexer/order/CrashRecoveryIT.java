package io.dynamicindex.indexer.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.RunTokens;

/**
 * kill -9 of the indexer process mid-stream, then a restart: unacknowledged messages are redelivered and applied
 * again, and Elasticsearch and the queue's archive (on here: a kill between a batch's bulks and its archive commit
 * leaves the batch unacknowledged) still end where sequential application ends.
 */
@Tag("compat")
class CrashRecoveryIT {

    private static final int MESSAGES = 6000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void endsWhereSequentialApplicationEndsAfterAKillMidStream() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String products = harness.index("products");
            String unmatched = harness.index("unmatched");
            List<GeneratedMessage> messages = new RandomWorkload(99, products, unmatched).messages(MESSAGES);
            SequentialModel model = new SequentialModel();
            messages.forEach(model::apply);
            harness.publish(messages.stream().map(GeneratedMessage::toJson).toList());

            Map<String, String> properties = harness.properties();
            properties.remove("server.port");
            properties.put("dynamic-index.indexer.workers", "3");
            properties.put("dynamic-index.indexer.buffer.max-size", "20");
            properties.put("dynamic-index.indexer.buffer.max-interval", "20ms");
            properties.put("dynamic-index.indexer.prefetch", "100");
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".archive.enabled", "true");
            DaemonProcess first = start(properties);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> applied(first) >= 200);
            first.kill();
            assertThat(applied(first)).as("the killed indexer no longer answers").isZero();

            try (DaemonProcess second = start(properties)) {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    Map<String, Map<String, Object>> indexed = new HashMap<>(harness.documents(products));
                    indexed.putAll(harness.documents(unmatched));
                    assertThat(indexed).isEqualTo(model.documents());
                    Map<String, Map<String, Object>> archived = new HashMap<>(harness.archivedDocuments(products));
                    archived.putAll(harness.archivedDocuments(unmatched));
                    assertThat(archived).isEqualTo(model.documents());
                });
                assertThat(applied(second)).as("the first died mid-stream, so the restart applied the rest")
                        .isPositive()
                        .isLessThan(MESSAGES);
            }
        }
    }

    private static DaemonProcess start(Map<String, String> properties) {
        return DaemonProcess.start(Path.of(".."), "queue-indexer", properties, 0,
                Path.of("target", "daemons", "crash-recovery.log"));
    }

    /** The daemon's applied-message counter, 0 when it is not (or no longer) answering. */
    private static double applied(DaemonProcess daemon) {
        try {
            HttpResponse<String> response = HTTP.send(RunTokens.asViewer(URI.create(daemon.url()
                    + "/actuator/metrics/dynamicindex.indexer.applied")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return 0;
            }
            return IndexerHarness.JSON.readTree(response.body()).path("measurements").get(0).path("value")
                    .asDouble();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
