package io.dynamicindex.server.api;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;

/**
 * Splits a request body into partner messages, each the exact bytes of one JSON object as sent. Accepts one object,
 * an array of objects, or NDJSON (one object per line, blank lines ignored). Faults are reported with line, column
 * and byte offset so a partner's developer can find them. Each object passes the request's {@link ChangeCheck}, with
 * its position, as soon as it is split.
 */
final class PayloadSplitter {

    private static final JsonFactory JSON = new JsonFactory();

    private PayloadSplitter() {
    }

    static List<byte[]> splitJson(byte[] body, int maxMessages, ChangeCheck check) {
        List<byte[]> messages = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                messages.add(checked(object(parser, body), "the change", check));
            } else if (first == JsonToken.START_ARRAY) {
                readArray(parser, body, messages, maxMessages, check);
            } else {
                throw ApiException.badRequest("expected a JSON object or an array of objects " + at(parser));
            }
            if (parser.nextToken() != null) {
                throw ApiException.badRequest("unexpected content after the JSON value " + at(parser));
            }
        } catch (JacksonException e) {
            throw ApiException.badRequest("invalid JSON " + at(e.getLocation()) + ": " + e.getOriginalMessage());
        }
        requireSome(messages);
        return messages;
    }

    /** The messages as one JSON array, each message's bytes unchanged: an envelope of one request's changes. */
    static byte[] envelope(List<byte[]> messages) {
        int size = 1 + messages.size();
        for (byte[] message : messages) {
            size += message.length;
        }
        ByteBuffer envelope = ByteBuffer.allocate(size).put((byte) '[');
        for (int i = 0; i < messages.size(); i++) {
            envelope.put(i == 0 ? new byte[0] : new byte[] {','}).put(messages.get(i));
        }
        return envelope.put((byte) ']').array();
    }

    static List<byte[]> splitNdjson(byte[] body, int maxMessages, ChangeCheck check) {
        List<byte[]> messages = new ArrayList<>();
        int lineStart = 0;
        int lineNumber = 1;
        while (lineStart < body.length) {
            int lineEnd = indexOf(body, (byte) '\n', lineStart);
            byte[] line = Arrays.copyOfRange(body, lineStart, lineEnd);
            if (!isBlank(line)) {
                messages.add(checked(ndjsonLine(line, lineNumber, lineStart),
                        "line " + lineNumber + " (byte " + lineStart + ")", check));
                limit(messages.size(), maxMessages);
            }
            lineStart = lineEnd + 1;
            lineNumber++;
        }
        requireSome(messages);
        return messages;
    }

    private static void readArray(JsonParser parser, byte[] body, List<byte[]> messages, int maxMessages,
                                  ChangeCheck check) {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("array element " + (messages.size() + 1) + " is not a JSON object "
                        + at(parser));
            }
            String position = "array element " + (messages.size() + 1) + " (byte "
                    + parser.currentTokenLocation().getByteOffset() + ")";
            messages.add(checked(object(parser, body), position, check));
            limit(messages.size(), maxMessages);
        }
    }

    private static byte[] ndjsonLine(byte[] line, int lineNumber, int lineOffset) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("line " + lineNumber + " (byte " + lineOffset
                        + ") is not a JSON object");
            }
            byte[] object = object(parser, line);
            if (parser.nextToken() != null) {
                throw ApiException.badRequest("line " + lineNumber + " has content after its JSON object at column "
                        + parser.currentTokenLocation().getColumnNr());
            }
            return object;
        } catch (JacksonException e) {
            TokenStreamLocation location = e.getLocation();
            throw ApiException.badRequest("invalid JSON at line " + lineNumber + ", column "
                    + (location == null ? "?" : location.getColumnNr()) + " (byte "
                    + (lineOffset + (location == null ? 0 : location.getByteOffset())) + "): "
                    + e.getOriginalMessage());
        }
    }

    /** The parser stands on START_OBJECT; returns the object's bytes and leaves the parser on its END_OBJECT. */
    private static byte[] object(JsonParser parser, byte[] source) {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        int end = (int) parser.currentLocation().getByteOffset();
        return Arrays.copyOfRange(source, start, end);
    }

    private static byte[] checked(byte[] change, String position, ChangeCheck check) {
        check.check(change, position);
        return change;
    }

    private static void limit(int count, int maxMessages) {
        if (count > maxMessages) {
            throw ApiException.tooLarge("a request may carry at most " + maxMessages + " messages");
        }
    }

    private static void requireSome(List<byte[]> messages) {
        if (messages.isEmpty()) {
            throw ApiException.badRequest("the request carries no message");
        }
    }

    private static String at(JsonParser parser) {
        return at(parser.currentTokenLocation());
    }

    private static String at(TokenStreamLocation location) {
        if (location == null) {
            return "";
        }
        return "at line " + location.getLineNr() + ", column " + location.getColumnNr()
                + " (byte " + location.getByteOffset() + ")";
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return bytes.length;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
