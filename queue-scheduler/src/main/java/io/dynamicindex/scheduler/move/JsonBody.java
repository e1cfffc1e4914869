package io.dynamicindex.scheduler.move;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import io.dynamicindex.common.Utf8;

/**
 * What a message's bytes hold, read with a streaming parser (nothing is built): one JSON object (one change), one
 * JSON array of objects (its elements are the changes), or anything else, which is not packable (the indexer
 * dead-letters it whole, so it travels alone). A body the indexer could not read inside a pack travels alone too: one
 * that is not well-formed UTF-8 (UTF-16 or UTF-32, with or without a byte order mark; an overlong form or a surrogate
 * inside a string, which the parser skips over), and one nested to the indexer's parser limit. The elements of a valid
 * body can be placed inside another array unchanged: {@link #elements} are the bytes between the outer brackets of an
 * array, or the whole object.
 *
 * @param changes  the array's length, 1 for an object, 1 for bytes that are not one JSON object or array
 * @param packable whether the bytes are exactly one JSON object, or one array of objects, and nothing after it
 * @param from     where the elements start in the bytes
 * @param to       where they end (exclusive); {@code from == to} for an empty array
 */
record JsonBody(int changes, boolean packable, int from, int to) {

    /**
     * Reads one level shallower than the indexer's parser (Jackson's default limit): an object joins a pack one level
     * deeper than it was sent, so a body that reaches the limit alone could not be read inside a pack.
     */
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(StreamReadConstraints
            .builder().maxNestingDepth(StreamReadConstraints.DEFAULT_MAX_DEPTH - 1).build()).build();
    /** What a body counts as when it is not read: it travels alone. */
    static final JsonBody NOT_PACKABLE = new JsonBody(1, false, 0, 0);

    /** Reads the bytes; never throws. */
    static JsonBody of(byte[] body) {
        if (Utf8.firstInvalid(body) >= 0) {
            return NOT_PACKABLE;
        }
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            JsonToken first = parser.nextToken();
            if (parser.currentTokenLocation().getByteOffset() < 0) {
                return NOT_PACKABLE;
            }
            if (first == JsonToken.START_OBJECT) {
                int start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getByteOffset();
                return parser.nextToken() == null ? new JsonBody(1, true, start, end) : NOT_PACKABLE;
            }
            if (first != JsonToken.START_ARRAY) {
                return NOT_PACKABLE;
            }
            return array(parser);
        } catch (JacksonException | IllegalStateException e) {
            return NOT_PACKABLE;
        }
    }

    /** The bytes of the elements only (an object whole). */
    int length() {
        return to - from;
    }

    private static JsonBody array(JsonParser parser) {
        int elements = 0;
        int start = -1;
        int end = -1;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.START_OBJECT) {
                return NOT_PACKABLE;
            }
            if (start < 0) {
                start = (int) parser.currentTokenLocation().getByteOffset();
            }
            parser.skipChildren();
            end = (int) parser.currentLocation().getByteOffset();
            elements++;
        }
        if (parser.nextToken() != null) {
            return NOT_PACKABLE;
        }
        return elements == 0 ? new JsonBody(0, true, 0, 0) : new JsonBody(elements, true, start, end);
    }
}
