package io.dynamicindex.server.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import io.dynamicindex.common.Utf8;

/**
 * The request body's type and encoding. Only {@code application/x-ndjson} is NDJSON and only {@code application/json}
 * or {@code application/*+json} is JSON: wildcards are refused, not guessed. The body must be UTF-8 unless its
 * {@code charset} parameter names another encoding, which is converted to UTF-8 before splitting; anything else gets
 * 415, so that byte offsets in refusals are offsets of the bytes the partner sent.
 */
final class BodyEncoding {

    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private BodyEncoding() {
    }

    /** Whether the body is NDJSON (true) or JSON (false); 415 for any other or a wildcard type. */
    static boolean ndjson(MediaType type) {
        if (type != null && !type.isWildcardType() && !type.isWildcardSubtype()) {
            if (type.equalsTypeAndSubtype(NDJSON)) {
                return true;
            }
            if (type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)
                    || "application".equals(type.getType()) && "json".equals(type.getSubtypeSuffix())) {
                return false;
            }
        }
        throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type",
                "send application/json (an object or an array of objects) or application/x-ndjson; got " + type);
    }

    /** The Content-Type, or 415 when it cannot be parsed or names a charset this JVM does not know. */
    static MediaType parse(String contentType) {
        try {
            return contentType == null ? null : MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type",
                    "the Content-Type '" + contentType + "' cannot be parsed: " + e.getMessage());
        }
    }

    /** The body as UTF-8: unchanged when it is UTF-8 and declared so or not declared, else converted. */
    static byte[] utf8(byte[] body, MediaType type) {
        Charset declared = type == null ? null : type.getCharset();
        if (declared == null || StandardCharsets.UTF_8.equals(declared)) {
            requireUtf8(body);
            return body;
        }
        try {
            CharBuffer text = declared.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return text.toString().getBytes(StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw unsupported("the body is not valid " + declared.name() + ", the declared charset");
        }
    }

    private static void requireUtf8(byte[] body) {
        int invalid = Utf8.firstInvalid(body);
        if (invalid >= 0) {
            throw unsupported(describe(body, invalid));
        }
    }

    private static String describe(byte[] body, int invalid) {
        if (body[invalid] == 0) {
            return "byte " + invalid + " is NUL, so the body looks UTF-16 or UTF-32";
        }
        if (invalid == 0 && body.length >= 2 && (body[0] & 0xFE) == 0xFE && (body[1] & 0xFE) == 0xFE) {
            return "the body starts with a UTF-16 or UTF-32 byte order mark";
        }
        return "byte " + invalid + " starts an invalid UTF-8 sequence";
    }

    private static ApiException unsupported(String why) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported encoding", why + "; send UTF-8, or "
                + "declare the body's encoding as a charset parameter of the Content-Type (e.g. charset=UTF-16)");
    }
}
