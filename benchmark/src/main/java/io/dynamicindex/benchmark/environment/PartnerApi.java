package io.dynamicindex.benchmark.environment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.dynamicindex.benchmark.measure.LoadDriver;
import io.dynamicindex.benchmark.workload.WorkloadGenerator.Batch;

/**
 * A partner's HTTP client of the queue server: a batch goes as one NDJSON request, a batch of one as a plain JSON
 * object. Anything but 202 is a refusal. Thread-safe; HTTP/1.1 with pooled keep-alive connections.
 */
public final class PartnerApi implements LoadDriver.Sink {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI messages;

    public PartnerApi(Daemon server, String queue) {
        this.messages = URI.create(server.url() + "/api/v1/queues/" + queue + "/messages");
    }

    @Override
    public void accept(Batch batch) throws IOException, InterruptedException {
        boolean single = batch.messages().size() == 1;
        HttpRequest request = HttpRequest.newBuilder(messages)
                .header("X-API-Key", Daemons.API_KEY)
                .header("Content-Type", single ? "application/json" : "application/x-ndjson")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(batch)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IOException("queue-server answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static byte[] body(Batch batch) {
        if (batch.messages().size() == 1) {
            return batch.messages().get(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.messages().size() * 420);
        for (byte[] message : batch.messages()) {
            out.writeBytes(message);
            out.write('\n');
        }
        return out.toByteArray();
    }
}
