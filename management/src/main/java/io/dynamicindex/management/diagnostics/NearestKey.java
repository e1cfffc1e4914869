package io.dynamicindex.management.diagnostics;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The known key nearest to a misspelled one, by edit distance: the known keys are read from the properties type bound
 * under a prefix (its fields in kebab case, nested records walked, a per-queue map walked with the queue the
 * misspelled key names). Pure reflection, no value is read.
 */
final class NearestKey {

    private static final String PROJECT = "io.dynamicindex.";

    private NearestKey() {
    }

    /** The known key under {@code prefix} of {@code type} nearest to {@code unknown}, if the type has any. */
    static Optional<String> of(String unknown, String prefix, Class<?> type) {
        List<String> known = new ArrayList<>();
        collect(unknown, prefix, type, known);
        return known.stream().min(Comparator.comparingInt(candidate -> distance(unknown, candidate)));
    }

    private static void collect(String unknown, String prefix, Class<?> type, List<String> known) {
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            String key = prefix + "." + kebab(field.getName());
            if (Map.class.isAssignableFrom(field.getType())) {
                mapEntry(unknown, key, field.getGenericType(), known);
            } else if (isProjectType(field.getType())) {
                collect(unknown, key, field.getType(), known);
            } else {
                known.add(key);
            }
        }
    }

    /** A map's entries take the entry the unknown key names; values of a project type are walked below it. */
    private static void mapEntry(String unknown, String key, Type mapType, List<String> known) {
        known.add(key);
        if (!unknown.startsWith(key + ".") || !(mapType instanceof ParameterizedType parameterized)
                || !(parameterized.getActualTypeArguments()[1] instanceof Class<?> values) || !isProjectType(values)) {
            return;
        }
        String entry = unknown.substring(key.length() + 1).split("\\.", 2)[0];
        collect(unknown, key + "." + entry, values, known);
    }

    private static boolean isProjectType(Class<?> type) {
        return !type.isEnum() && type.getName().startsWith(PROJECT);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
