package io.dynamicindex.indexer.bulk;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A search engine's distribution and version, read from its answers, and whether the indexer supports it. The bulk
 * protocol, external versioning and error types the indexer relies on are those of Elasticsearch 7.10 and later and
 * of OpenSearch 2 and later; older engines differ in ways that fail quietly (types in bulk answers, other error
 * names), so they are refused rather than half served; so are newer majors (Elasticsearch 9, OpenSearch 3) until the
 * test suite runs on them. Pure: no I/O.
 *
 * @param distribution "Elasticsearch" or "OpenSearch"
 * @param number       the version as the engine reports it, such as 8.19.8
 */
public record EngineVersion(String distribution, String number) {

    /** The engines the indexer supports, as its messages name them. */
    public static final String SUPPORTED = "Elasticsearch 7.10 and later 7.x, and 8.x; OpenSearch 2.x";
    static final String ELASTICSEARCH = "Elasticsearch";
    static final String OPENSEARCH = "OpenSearch";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");
    private static final int SNIPPET = 200;

    /**
     * The engine from its answer to {@code GET /}, or empty when that answer names no version (a 404 or 405, as from
     * Elasticsearch's integ-test distribution, or a 200 without one): then {@code GET /_nodes/_local} has it.
     *
     * @throws IllegalArgumentException for any other status, naming it and the body
     */
    public static Optional<EngineVersion> fromRoot(int status, byte[] body) {
        if (status == 404 || status == 405) {
            return Optional.empty();
        }
        if (status != 200) {
            throw new IllegalArgumentException("GET / answered " + status + ": " + snippet(body));
        }
        JsonNode version = tree("GET /", body).path("version");
        String number = text(version.path("number"));
        if (number == null) {
            return Optional.empty();
        }
        boolean openSearch = OPENSEARCH.equalsIgnoreCase(text(version.path("distribution")));
        return Optional.of(checked(openSearch ? OPENSEARCH : ELASTICSEARCH, number));
    }

    /**
     * The engine from its answer to {@code GET /_nodes/_local?filter_path=nodes.*.version}. Only Elasticsearch has
     * no root endpoint, so the distribution is Elasticsearch.
     *
     * @throws IllegalArgumentException when the answer is not a 200 naming a node's version; the message says what
     *                                  came instead
     */
    public static EngineVersion fromNodes(int status, byte[] body) {
        Iterator<JsonNode> nodes = status == 200 ? tree("GET /_nodes/_local", body).path("nodes").values().iterator()
                : Collections.emptyIterator();
        String number = nodes.hasNext() ? text(nodes.next().path("version")) : null;
        if (number == null) {
            throw new IllegalArgumentException("neither GET / nor GET /_nodes/_local named a version; "
                    + "/_nodes/_local answered " + status + ": " + snippet(body));
        }
        return checked(ELASTICSEARCH, number);
    }

    /** Whether the indexer supports this engine (see {@link #SUPPORTED}). */
    public boolean supported() {
        int major = part(1);
        return switch (distribution) {
            case ELASTICSEARCH -> major == 7 && part(2) >= 10 || major == 8;
            case OPENSEARCH -> major == 2;
            default -> false;
        };
    }

    /** Why this engine is refused, naming what was found where, what is supported, and the key to change. */
    public String refusal(String where) {
        return this + " at " + where + " is not supported: the indexer supports " + SUPPORTED
                + ". Upgrade the engine, or point dynamic-index.indexer.elasticsearch.hosts at a supported one";
    }

    /** "Elasticsearch 8.19.8". */
    @Override
    public String toString() {
        return distribution + " " + number;
    }

    private static EngineVersion checked(String distribution, String number) {
        if (!MAJOR_MINOR.matcher(number).find()) {
            throw new IllegalArgumentException(distribution + " reported the version '" + number
                    + "', which is not a version number");
        }
        return new EngineVersion(distribution, number);
    }

    private int part(int group) {
        Matcher matcher = MAJOR_MINOR.matcher(number);
        return matcher.find() ? Integer.parseInt(matcher.group(group)) : -1;
    }

    private static JsonNode tree(String call, byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(call + " answered 200 with something that is not JSON: "
                    + snippet(body), e);
        }
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }

    private static String snippet(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > SNIPPET ? text.substring(0, SNIPPET) + "..." : text;
    }
}
