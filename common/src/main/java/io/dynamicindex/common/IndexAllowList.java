package io.dynamicindex.common;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The indices a set of changes may name: exact names (an alias is allowed by its own name, as the producer writes
 * it) and glob patterns, in which {@code *} stands for any run of characters and {@code ?} for one, as the indexer's
 * {@code allowed-indices} reads them. Elasticsearch refuses both characters in index and alias names, so an entry
 * holding either is always a pattern. Immutable and thread-safe; built once at startup.
 */
public final class IndexAllowList {

    private static final IndexAllowList ANY = new IndexAllowList(null, Set.of(), List.of());

    private final List<String> configured;
    private final Set<String> names;
    private final List<Pattern> patterns;

    private IndexAllowList(List<String> configured, Set<String> names, List<Pattern> patterns) {
        this.configured = configured;
        this.names = names;
        this.patterns = patterns;
    }

    /** Any index: no allow-list is configured. */
    public static IndexAllowList any() {
        return ANY;
    }

    /**
     * The given names and patterns, each trimmed; blank entries are left out, so an empty list allows no index.
     *
     * @param entries index or alias names, and patterns holding {@code *} or {@code ?}; null for any index
     */
    public static IndexAllowList of(List<String> entries) {
        if (entries == null) {
            return ANY;
        }
        Set<String> names = new HashSet<>();
        List<Pattern> patterns = new ArrayList<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (trimmed.contains("*") || trimmed.contains("?")) {
                patterns.add(glob(trimmed));
            } else if (!trimmed.isEmpty()) {
                names.add(trimmed);
            }
        }
        return new IndexAllowList(List.copyOf(entries), Set.copyOf(names), List.copyOf(patterns));
    }

    /** Whether every index is allowed (no allow-list is configured). */
    public boolean unrestricted() {
        return configured == null;
    }

    /** Whether a change may name this index or alias; null only when every index is allowed. */
    public boolean allows(String index) {
        if (unrestricted()) {
            return true;
        }
        return index != null && (names.contains(index)
                || patterns.stream().anyMatch(pattern -> pattern.matcher(index).matches()));
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String literal : pattern.split("((?<=[*?])|(?=[*?]))")) {
            regex.append(switch (literal) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> Pattern.quote(literal);
            });
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** The entries as configured, or {@code any index}. */
    @Override
    public String toString() {
        return unrestricted() ? "any index" : String.valueOf(configured);
    }
}
