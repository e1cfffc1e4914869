package io.dynamicindex.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.health.EngineStatus;

/** When the indexer reads its engine, and what it does with what it reads. */
class EngineWatchTest {

    private final EngineStatus status = new EngineStatus();
    private final MovableClock clock = new MovableClock();
    private final List<String> asked = new ArrayList<>();
    private String root = EngineVersionTest.ES_7_10_ROOT;
    private boolean reachable = true;
    private final EngineWatch watch = new EngineWatch(this::answer, "[http://es:9200]", status, clock);

    @Test
    void readsTheEngineAtStartupFromTheNodesWhenTheRootAnswers405() {
        root = null;

        watch.checkAtStartup();

        assertThat(asked).containsExactly("/", "/_nodes/_local");
        assertThat(status.view()).isEqualTo(new EngineStatus.View("Elasticsearch", "8.19.8", true, null));
        assertThat(status.details()).containsExactly(entry("distribution", "Elasticsearch"),
                entry("version", "8.19.8"));
    }

    @Test
    void stopsStartupOnAnUnsupportedEngineNamingItsVersionAndTheSupportedOnes() {
        root = EngineVersionTest.ES_7_10_ROOT.replace("7.10.2", "6.8.23");

        assertThatThrownBy(watch::checkAtStartup).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Elasticsearch 6.8.23 at [http://es:9200] is not supported: the indexer "
                        + "supports " + EngineVersion.SUPPORTED);
    }

    @Test
    void startsWhileTheEngineIsUnreachableAndReadsItOnceItAnswers() {
        reachable = false;
        watch.checkAtStartup();
        assertThat(status.view().version()).isNull();
        assertThat(status.view().problem()).startsWith("no answer to read the version: java.net.ConnectException");

        reachable = true;
        watch.answered();

        assertThat(status.view()).isEqualTo(new EngineStatus.View("Elasticsearch", "7.10.2", true, null));
    }

    @Test
    void readsAgainOnlyOnTheFirstAnswerAfterAnOutage() {
        watch.checkAtStartup();
        watch.answered();
        assertThat(asked).containsExactly("/");

        watch.unreachable();
        root = EngineVersionTest.OPENSEARCH_2_ROOT;
        watch.answered();
        watch.answered();

        assertThat(asked).containsExactly("/", "/");
        assertThat(status.view()).isEqualTo(new EngineStatus.View("OpenSearch", "2.19.1", true, null));
    }

    @Test
    void showsAnUnsupportedEngineFoundAfterAnOutageWithoutStopping() {
        watch.checkAtStartup();
        watch.unreachable();
        root = EngineVersionTest.OPENSEARCH_2_ROOT.replace("2.19.1", "1.3.20");

        watch.answered();

        assertThat(status.view().supported()).isFalse();
        assertThat(status.details()).containsEntry("version", "1.3.20").extractingByKey("engineProblem")
                .asString().startsWith("OpenSearch 1.3.20 at [http://es:9200] is not supported");
    }

    @Test
    void asksAnUnreadableEngineAgainAfterAMinuteOnly() {
        root = "<html>login</html>";
        watch.checkAtStartup();
        assertThat(status.view().problem()).startsWith("GET / answered 200 with something that is not JSON");

        watch.answered();
        assertThat(asked).hasSize(1);
        clock.move(EngineWatch.REREAD_UNREADABLE);
        root = EngineVersionTest.ES_7_10_ROOT;
        watch.answered();

        assertThat(asked).hasSize(2);
        assertThat(status.view().version()).isEqualTo("7.10.2");
    }

    private BulkTransport.Response answer(Request request) throws IOException {
        asked.add(request.getEndpoint());
        if (!reachable) {
            watch.unreachable();
            throw new ConnectException("Connection refused");
        }
        BulkTransport.Response response;
        if (!request.getEndpoint().equals("/")) {
            response = response(200, EngineVersionTest.ES_8_NODES);
        } else {
            response = root == null ? response(405, "{\"error\":\"Incorrect HTTP method for uri [/]\"}")
                    : response(200, root);
        }
        watch.answered();
        return response;
    }

    private static BulkTransport.Response response(int status, String body) {
        return new BulkTransport.Response(status, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A clock that stands still until a test moves it. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-03-02T12:00:00Z");

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
