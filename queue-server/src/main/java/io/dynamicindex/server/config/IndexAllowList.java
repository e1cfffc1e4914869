package io.dynamicindex.server.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.util.PatternMatchUtils;

/**
 * The indices one partner's changes may name: exact names (aliases are names too) and glob patterns with {@code *}.
 * Immutable; built once at startup and read by every request thread.
 */
public final class IndexAllowList {

    private static final IndexAllowList ANY = new IndexAllowList(null, Set.of(), new String[0]);

    private final List<String> configured;
    private final Set<String> names;
    private final String[] patterns;

    private IndexAllowList(List<String> configured, Set<String> names, String[] patterns) {
        this.configured = configured;
        this.names = names;
        this.patterns = patterns;
    }

    /** Any index: the partner has no {@code indices} setting. */
    public static IndexAllowList any() {
        return ANY;
    }

    /** The given names and patterns; an entry holding {@code *} is a pattern. */
    public static IndexAllowList of(List<String> entries) {
        Set<String> names = new HashSet<>();
        List<String> patterns = new ArrayList<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (trimmed.contains("*")) {
                patterns.add(trimmed);
            } else if (!trimmed.isEmpty()) {
                names.add(trimmed);
            }
        }
        return new IndexAllowList(List.copyOf(entries), Set.copyOf(names), patterns.toArray(String[]::new));
    }

    public boolean unrestricted() {
        return configured == null;
    }

    public boolean allows(String index) {
        return unrestricted() || names.contains(index) || PatternMatchUtils.simpleMatch(patterns, index);
    }

    @Override
    public String toString() {
        return unrestricted() ? "any index" : String.valueOf(configured);
    }
}
