package io.dynamicindex.indexer.buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a pack (a JSON array of changes) into the bytes of its elements without parsing them, for a pack that
 * cannot be parsed as a whole: one element nested at the parser's depth limit is one level too deep inside the
 * array, and one malformed element fails the whole array. Each element can then be parsed, applied or dead-lettered
 * on its own, with its own original bytes. Only the top level is read: strings (with their escapes) and bracket
 * depth, so a comma inside an element never splits it. Stateless.
 */
final class PackSplitter {

    private PackSplitter() {
    }

    /**
     * The elements' bytes, trimmed of surrounding whitespace, in order; empty when the body does not start as an
     * array (after whitespace) or holds no element. An unterminated last element is returned as it stands, so that
     * it is dead-lettered on its own.
     */
    static List<byte[]> elements(byte[] body) {
        int start = skipWhitespace(body, 0);
        if (start >= body.length || body[start] != '[') {
            return List.of();
        }
        List<byte[]> elements = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        int from = start + 1;
        for (int i = start + 1; i < body.length; i++) {
            byte b = body[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                if (depth == 0) {
                    addTrimmed(body, from, i, elements);
                    return elements;
                }
                depth--;
            } else if (b == ',' && depth == 0) {
                addTrimmed(body, from, i, elements);
                from = i + 1;
            }
        }
        addTrimmed(body, from, body.length, elements);
        return elements;
    }

    private static void addTrimmed(byte[] body, int from, int to, List<byte[]> elements) {
        int start = skipWhitespace(body, from);
        int end = to;
        while (end > start && isWhitespace(body[end - 1])) {
            end--;
        }
        if (end > start) {
            elements.add(Arrays.copyOfRange(body, start, end));
        }
    }

    private static int skipWhitespace(byte[] body, int from) {
        int i = from;
        while (i < body.length && isWhitespace(body[i])) {
            i++;
        }
        return i;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
