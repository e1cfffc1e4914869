package io.dynamicindex.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class BodyEncodingTest {

    @Test
    void readsOnlyExplicitTypes() {
        assertThat(BodyEncoding.ndjson(MediaType.parseMediaType("application/x-ndjson; charset=utf-8"))).isTrue();
        assertThat(BodyEncoding.ndjson(MediaType.APPLICATION_JSON)).isFalse();
        assertThat(BodyEncoding.ndjson(MediaType.parseMediaType("application/merge-patch+json"))).isFalse();
        for (String type : new String[] {"*/*", "application/*", "text/plain", "application/*+json"}) {
            assertUnsupported(() -> BodyEncoding.ndjson(MediaType.parseMediaType(type)), "send application/json");
        }
        assertUnsupported(() -> BodyEncoding.ndjson(null), "send application/json");
        assertUnsupported(() -> BodyEncoding.parse("application/"), "cannot be parsed");
    }

    @Test
    void keepsUtf8AsSent() {
        byte[] body = "{\"n\":\"caf\u00e9 \ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(BodyEncoding.utf8(body, MediaType.APPLICATION_JSON)).isSameAs(body);
    }

    @Test
    void convertsADeclaredCharsetToUtf8() {
        String text = "{\"n\":\"caf\u00e9\"}";
        assertThat(BodyEncoding.utf8(text.getBytes(StandardCharsets.UTF_16),
                MediaType.parseMediaType("application/json;charset=UTF-16")))
                .isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(BodyEncoding.utf8(text.getBytes(StandardCharsets.ISO_8859_1),
                MediaType.parseMediaType("application/json;charset=ISO-8859-1")))
                .isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesUndeclaredUtf16AndInvalidUtf8With415() {
        assertUnsupported(() -> BodyEncoding.utf8("{}".getBytes(StandardCharsets.UTF_16), MediaType.APPLICATION_JSON),
                "byte order mark");
        assertUnsupported(() -> BodyEncoding.utf8("{}".getBytes(StandardCharsets.UTF_16LE),
                MediaType.APPLICATION_JSON), "byte 1 is NUL");
        assertUnsupported(() -> BodyEncoding.utf8(new byte[] {'{', '"', (byte) 0xC3, '"', '}'},
                MediaType.APPLICATION_JSON), "byte 2 starts an invalid UTF-8 sequence");
        assertUnsupported(() -> BodyEncoding.utf8(new byte[] {(byte) 0xE9},
                MediaType.parseMediaType("application/json;charset=utf-8")), "byte 0");
        assertUnsupported(() -> BodyEncoding.parse("application/json;charset=nonsense-42"),
                "unsupported charset 'nonsense-42'");
    }

    private static void assertUnsupported(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String detail) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)).hasMessageContaining(detail);
    }
}
