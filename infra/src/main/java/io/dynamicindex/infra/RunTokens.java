package io.dynamicindex.infra;

import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dynamicindex.common.SecretDigest;

/**
 * The management-plane tokens of a test run or a demo: one operator and one viewer token, random for each JVM, given
 * to the daemons only as SHA-256 digests ({@link #daemonProperties()}) and sent as bearer tokens by the callers.
 */
public final class RunTokens {

    /** The operator token's name, which the daemons' audit trail records as the actor. */
    public static final String OPERATOR_NAME = "run-operator";

    /** The viewer token's name. */
    public static final String VIEWER_NAME = "run-viewer";

    private static final String OPERATOR = random();
    private static final String VIEWER = random();

    private RunTokens() {
    }

    public static String operator() {
        return OPERATOR;
    }

    public static String viewer() {
        return VIEWER;
    }

    /** The daemons' settings that accept both tokens, by digest. */
    public static Map<String, String> daemonProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        put(properties, OPERATOR_NAME, OPERATOR, "operator");
        put(properties, VIEWER_NAME, VIEWER, "viewer");
        return properties;
    }

    /** A request carrying the operator token. */
    public static HttpRequest.Builder asOperator(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + OPERATOR);
    }

    /** A request carrying the viewer token. */
    public static HttpRequest.Builder asViewer(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + VIEWER);
    }

    /** A JSON write ({@code POST}, {@code PATCH} ...) carrying the operator token; the body may be empty. */
    public static HttpRequest.Builder operatorWrite(URI uri, String method, String json) {
        return asOperator(uri).header("Content-Type", "application/json")
                .method(method, json.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
    }

    private static void put(Map<String, String> properties, String name, String token, String role) {
        String prefix = "dynamic-index.management.tokens." + name + ".";
        properties.put(prefix + "token-sha256", HexFormat.of().formatHex(SecretDigest.of(token)));
        properties.put(prefix + "role", role);
    }

    private static String random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
