package io.dynamicindex.indexer.bulk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one table that decides what a failed bulk item or request leads to. Keys, looked up from the most specific:
 * <ul>
 *   <li>an item failure whose reason names an operator's fault hidden under a data error type (an alias without a
 *       write index, a missing ingest pipeline: both {@code illegal_argument_exception}): that fault's own key
 *       ({@code no_write_index}, {@code pipeline_missing}) first, halting by default, since every change to the
 *       index would otherwise be dead-lettered;</li>
 *   <li>an item failure: Elasticsearch's {@code error.type} with the item's status ({@code <type>_<status>}, as
 *       {@code cluster_block_exception_429}), then the {@code error.type} alone, then {@code item_<status>}, then
 *       {@code item_4xx} or {@code item_5xx}. The type with its status comes first because one type can mean two
 *       things: Elasticsearch and OpenSearch answer a flood-stage disk block 429 (it lifts itself once disk is
 *       freed: back off) and an operator's write block 403 (someone must lift it: halt);</li>
 *   <li>a whole request answered non-2xx: {@code request_<status>}, then {@code request_4xx} or
 *       {@code request_5xx};</li>
 *   <li>no usable answer: {@code connection_error} (no response, timeout, client failure) and
 *       {@code invalid_response} (a 2xx whose body is not a bulk answer, as from a proxy's error page);</li>
 *   <li>{@code retries_exhausted}: what a retried item becomes when its retry budget is spent.</li>
 * </ul>
 * Operators override entries, for all queues or per queue. A whole-request failure is never the data's fault, so
 * mapping it to {@code dead_letter} fails startup.
 */
public final class ErrorPolicy {

    /** The built-in table, in the order the configuration reference lists it. */
    public static final Map<String, ErrorAction> DEFAULTS = defaults();
    static final String RETRIES_EXHAUSTED = "retries_exhausted";
    static final String CONNECTION_ERROR = "connection_error";
    static final String INVALID_RESPONSE = "invalid_response";

    /** Operator faults recognised by an item's reason, by their key in the table. */
    private static final Map<String, Pattern> REASONS = Map.of(
            "no_write_index", Pattern.compile("no write index is defined for alias"),
            "pipeline_missing", Pattern.compile("pipeline with id \\[[^\\]]*\\] does not exist"));

    private final Map<String, ErrorAction> table;
    private final Map<String, ErrorAction> overrides;

    private ErrorPolicy(Map<String, ErrorAction> table, Map<String, ErrorAction> overrides) {
        this.table = Map.copyOf(table);
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * The defaults, overridden by each map in turn (all queues, then one queue's own entries).
     *
     * @param overridesByKey the overrides, by the configuration key they come from, in the order they apply
     * @throws IllegalStateException when an override maps a whole-request failure to dead_letter or stale; the
     *                               message names the key and what to use instead
     */
    public static ErrorPolicy of(Map<String, Map<String, ErrorAction>> overridesByKey) {
        Map<String, ErrorAction> table = new LinkedHashMap<>(DEFAULTS);
        Map<String, ErrorAction> overrides = new LinkedHashMap<>();
        overridesByKey.forEach((owner, override) -> override.forEach((key, action) -> {
            String normalized = key.toLowerCase(Locale.ROOT);
            requireAllowed(owner, normalized, action);
            table.put(normalized, action);
            overrides.put(normalized, action);
        }));
        return new ErrorPolicy(table, overrides);
    }

    /**
     * The action for a failed item with Elasticsearch's error type (may be null), item status and reason (may be
     * null): the entry of an operator fault its reason names, else as {@link #forItem(String, int)}.
     */
    public ErrorAction forItem(String errorType, int status, String reason) {
        String fault = reasonKey(reason);
        return fault != null && table.containsKey(fault) ? table.get(fault) : forItem(errorType, status);
    }

    /** The key of the operator fault the reason names ({@code no_write_index}, ...), or null for none. */
    public static String reasonKey(String reason) {
        if (reason == null) {
            return null;
        }
        for (Map.Entry<String, Pattern> fault : REASONS.entrySet()) {
            if (fault.getValue().matcher(reason).find()) {
                return fault.getKey();
            }
        }
        return null;
    }

    /**
     * The action for a failed item with Elasticsearch's error type (may be null) and item status: the entry for the
     * type with that status, else for the type, else for the status, else for its class.
     */
    public ErrorAction forItem(String errorType, int status) {
        ErrorAction action = errorType == null ? null
                : table.getOrDefault(errorType + "_" + status, table.get(errorType));
        if (action == null) {
            action = table.get("item_" + status);
        }
        if (action == null) {
            action = table.get("item_" + status / 100 + "xx");
        }
        return action == null ? ErrorAction.HALT : action;
    }

    /** The action for a whole request answered with a non-2xx status. */
    public ErrorAction forRequest(int status) {
        ErrorAction action = table.get("request_" + status);
        if (action == null) {
            action = table.get("request_" + status / 100 + "xx");
        }
        return action == null ? ErrorAction.HALT : action;
    }

    /** The action for a key without a status: connection_error, invalid_response, retries_exhausted. */
    public ErrorAction forKey(String key) {
        return table.getOrDefault(key, ErrorAction.HALT);
    }

    /** The resolved table. */
    public Map<String, ErrorAction> table() {
        return table;
    }

    /** The built-in table and the entries that override it. */
    @Override
    public String toString() {
        return overrides.isEmpty() ? "built-in" : "built-in with " + overrides;
    }

    private static void requireAllowed(String owner, String key, ErrorAction action) {
        boolean wholeRequest = key.startsWith("request_") || key.equals(CONNECTION_ERROR)
                || key.equals(INVALID_RESPONSE);
        if (wholeRequest && (action == ErrorAction.DEAD_LETTER || action == ErrorAction.STALE)) {
            throw new IllegalStateException(owner + "." + key + "=" + action.name().toLowerCase(Locale.ROOT)
                    + " is not allowed: a failure of the whole request (credentials, a proxy, an unreachable or "
                    + "blocked cluster) is not a fault of the data; use retry, halt or drop");
        }
    }

    private static Map<String, ErrorAction> defaults() {
        Map<String, ErrorAction> table = new LinkedHashMap<>();
        table.put("version_conflict_engine_exception", ErrorAction.STALE);
        table.put("mapper_parsing_exception", ErrorAction.DEAD_LETTER);
        table.put("strict_dynamic_mapping_exception", ErrorAction.DEAD_LETTER);
        table.put("illegal_argument_exception", ErrorAction.DEAD_LETTER);
        table.put("document_missing_exception", ErrorAction.DEAD_LETTER);
        table.put("document_parsing_exception", ErrorAction.DEAD_LETTER);
        table.put("es_rejected_execution_exception", ErrorAction.RETRY);
        table.put("rejected_execution_exception", ErrorAction.RETRY);
        table.put("cluster_block_exception_429", ErrorAction.RETRY);
        table.put("cluster_block_exception", ErrorAction.HALT);
        table.put("index_closed_exception", ErrorAction.HALT);
        table.put("index_not_found_exception", ErrorAction.HALT);
        table.put("no_write_index", ErrorAction.HALT);
        table.put("pipeline_missing", ErrorAction.HALT);
        table.put("security_exception", ErrorAction.HALT);
        table.put("item_429", ErrorAction.RETRY);
        table.put("item_4xx", ErrorAction.DEAD_LETTER);
        table.put("item_5xx", ErrorAction.RETRY);
        table.put("request_429", ErrorAction.RETRY);
        table.put("request_401", ErrorAction.HALT);
        table.put("request_403", ErrorAction.HALT);
        table.put("request_404", ErrorAction.HALT);
        table.put("request_413", ErrorAction.HALT);
        table.put("request_4xx", ErrorAction.HALT);
        table.put("request_5xx", ErrorAction.RETRY);
        table.put(CONNECTION_ERROR, ErrorAction.RETRY);
        table.put(INVALID_RESPONSE, ErrorAction.RETRY);
        table.put(RETRIES_EXHAUSTED, ErrorAction.HALT);
        return Collections.unmodifiableMap(table);
    }
}
