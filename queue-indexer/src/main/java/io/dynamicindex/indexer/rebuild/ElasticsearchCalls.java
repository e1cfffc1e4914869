package io.dynamicindex.indexer.rebuild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.elasticsearch.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.common.Backoff;
import io.dynamicindex.indexer.bulk.BulkTransport;
import io.dynamicindex.indexer.bulk.RestClientTransport;

/**
 * The rebuild's Elasticsearch calls, each bounded by the client's timeouts. A call without an answer, or answered
 * 429 or 5xx (whole request or, for a bulk, any item), is retried with full-jitter back-off for up to
 * {@code retry-for}; every other error fails the rebuild with Elasticsearch's reason.
 */
final class ElasticsearchCalls {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchCalls.class);
    private static final ContentType JSON = ContentType.APPLICATION_JSON;

    private final RestClientTransport transport;
    private final JsonMapper json;
    private final RebuildProperties settings;
    private final Backoff backoff;

    ElasticsearchCalls(RestClientTransport transport, JsonMapper json, RebuildProperties settings) {
        this.transport = transport;
        this.json = json;
        this.settings = settings;
        this.backoff = Backoff.withRandomJitter(settings.initialBackoff(), settings.maxBackoff());
    }

    boolean indexExists(String alias, String index) {
        int status = call(alias, new Request("HEAD", "/" + index)).status();
        if (status != 200 && status != 404) {
            throw new RebuildFailure("HEAD /" + index + " answered " + status);
        }
        return status == 200;
    }

    /**
     * Creates the index and waits for its primaries; a body Elasticsearch refuses (400: a bad mapping or setting)
     * is a bad request, with Elasticsearch's reason.
     */
    void createIndex(String alias, String index, JsonNode body) {
        Request request = withBody("PUT", "/" + index, body);
        request.addParameter("wait_for_active_shards", "1");
        request.addParameter("timeout", settings.shardWait().toMillis() + "ms");
        BulkTransport.Response answer = call(alias, request);
        if (answer.status() == 400) {
            throw new RebuildRefusal(RebuildRefusal.Kind.BAD_INPUT, "Elasticsearch refused the settings of "
                    + index + ": " + abbreviate(text(answer)));
        }
        if (answer.status() / 100 != 2) {
            throw new RebuildFailure("creating index " + index + ": Elasticsearch answered " + answer.status() + ": "
                    + abbreviate(text(answer)));
        }
    }

    void putSettings(String alias, String index, JsonNode body) {
        expectOk(alias, withBody("PUT", "/" + index + "/_settings", body), "updating the settings of " + index);
    }

    /** Waits until the index's primary shards are active (health yellow or green) for up to shard-wait. */
    void awaitPrimaries(String alias, String index) {
        Request request = new Request("GET", "/_cluster/health/" + index);
        request.addParameter("wait_for_status", "yellow");
        request.addParameter("timeout", settings.shardWait().toMillis() + "ms");
        JsonNode health = expectOk(alias, request, "waiting for the shards of " + index);
        if (health.path("timed_out").asBoolean(false)) {
            throw new RebuildFailure("the primary shards of " + index + " were not active within "
                    + settings.shardWait() + ": " + health);
        }
    }

    void refresh(String alias, String index) {
        expectOk(alias, new Request("POST", "/" + index + "/_refresh"), "refreshing " + index);
    }

    /** What the alias name stands for: an alias over indices, a concrete index, or nothing. */
    AliasState aliasState(String alias) {
        BulkTransport.Response answer = call(alias, new Request("GET", "/_alias/" + alias));
        if (answer.status() == 200) {
            List<String> indices = new ArrayList<>();
            json.readTree(answer.body()).propertyNames().forEach(indices::add);
            return AliasState.aliasOf(indices);
        }
        if (answer.status() != 404) {
            throw new RebuildFailure("GET /_alias/" + alias + " answered " + answer.status() + ": " + text(answer));
        }
        return indexExists(alias, alias) ? AliasState.concrete() : AliasState.absent();
    }

    /** A POST that reads (a search, a scroll page); its answer must be 2xx. */
    JsonNode read(String alias, String endpoint, JsonNode body) {
        return expectOk(alias, withBody("POST", endpoint, body), "POST " + endpoint);
    }

    /** Frees a scroll; a failure only leaves it to expire. */
    void clearScroll(String alias, String scrollId) {
        BulkTransport.Response answer = call(alias, withBody("DELETE", "/_search/scroll",
                json.createObjectNode().put("scroll_id", scrollId)));
        if (answer.status() / 100 != 2) {
            LOG.debug("{}: clearing a scroll answered {}; it expires by itself", alias, answer.status());
        }
    }

    /** Sends one _aliases body; Elasticsearch applies its actions atomically. */
    void updateAliases(String alias, JsonNode body) {
        expectOk(alias, withBody("POST", "/_aliases", body), "switching alias " + alias);
    }

    /** Sends a bulk until every item applied (a delete of a missing document counts), or fails the rebuild. */
    void bulk(String alias, RebuildBulkBody bulk) {
        byte[] body = bulk.bytes();
        long deadline = deadline();
        for (int attempt = 0; ; attempt++) {
            String retryable;
            try {
                BulkTransport.Response answer = transport.send(body);
                retryable = answer.status() == 200 ? failedItems(bulk.rows(), answer) : requestFailure(answer);
            } catch (IOException e) {
                retryable = "no answer: " + e;
            }
            if (retryable == null) {
                return;
            }
            backOff(alias, "a bulk of " + bulk.rows().size() + " documents", retryable, attempt, deadline);
        }
    }

    /** Null when every item applied; the first retryable failure; throws on a permanent one. */
    private String failedItems(List<ArchiveRow> rows, BulkTransport.Response answer) {
        JsonNode result = json.readTree(answer.body());
        if (!result.path("errors").asBoolean(true)) {
            return null;
        }
        JsonNode items = result.path("items");
        if (items.size() != rows.size()) {
            throw new RebuildFailure("a bulk answer has " + items.size() + " items for " + rows.size() + " documents");
        }
        String retryable = null;
        for (int i = 0; i < rows.size(); i++) {
            ArchiveRow row = rows.get(i);
            JsonNode item = items.get(i).properties().iterator().next().getValue();
            int status = item.path("status").asInt();
            if (status >= 200 && status < 300 || status == 404 && row.deleted()) {
                continue;
            }
            String reason = "document " + row.docId() + ": " + status + " " + item.path("error");
            if (status != 429 && status < 500) {
                throw new RebuildFailure("Elasticsearch refused " + reason);
            }
            retryable = retryable == null ? reason : retryable;
        }
        return retryable;
    }

    /** The retryable reason of a whole-request failure; throws on a permanent one. */
    private static String requestFailure(BulkTransport.Response answer) {
        String reason = "_bulk answered " + answer.status() + ": " + abbreviate(text(answer));
        if (answer.status() == 429 || answer.status() >= 500) {
            return reason;
        }
        throw new RebuildFailure(reason + (answer.status() == 413 ? " (lower dynamic-index.indexer.rebuild"
                + ".batch-bytes)" : ""));
    }

    private JsonNode expectOk(String alias, Request request, String what) {
        BulkTransport.Response answer = call(alias, request);
        if (answer.status() / 100 != 2) {
            throw new RebuildFailure(what + ": Elasticsearch answered " + answer.status() + ": "
                    + abbreviate(text(answer)));
        }
        return answer.body().length == 0 ? json.createObjectNode() : json.readTree(answer.body());
    }

    /** Sends the request, retrying while there is no answer or it is 429 or 5xx. */
    private BulkTransport.Response call(String alias, Request request) {
        long deadline = deadline();
        for (int attempt = 0; ; attempt++) {
            String retryable;
            try {
                BulkTransport.Response answer = transport.perform(request);
                if (answer.status() != 429 && answer.status() < 500) {
                    return answer;
                }
                retryable = "answered " + answer.status() + ": " + abbreviate(text(answer));
            } catch (IOException e) {
                retryable = "no answer: " + e;
            }
            backOff(alias, request.getMethod() + " " + request.getEndpoint(), retryable, attempt, deadline);
        }
    }

    private void backOff(String alias, String what, String reason, int attempt, long deadline) {
        if (System.nanoTime() > deadline) {
            throw new RebuildFailure(what + " still failed after " + settings.retryFor() + ": " + reason);
        }
        long wait = backoff.delay(attempt).toMillis();
        if (attempt % 10 == 0) {
            LOG.warn("{}: {} failed ({}), attempt {}, again in {} ms", alias, what, reason, attempt + 1, wait);
        }
        Pause.sleep(java.time.Duration.ofMillis(wait));
    }

    private long deadline() {
        return System.nanoTime() + settings.retryFor().toNanos();
    }

    private Request withBody(String method, String endpoint, JsonNode body) {
        Request request = new Request(method, endpoint);
        request.setEntity(new StringEntity(json.writeValueAsString(body), JSON));
        return request;
    }

    private static String text(BulkTransport.Response answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }
}
