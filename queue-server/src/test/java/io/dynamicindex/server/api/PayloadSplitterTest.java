package io.dynamicindex.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class PayloadSplitterTest {

    private static final ChangeCheck NONE = ChangeCheck.NONE;

    @Test
    void keepsTheExactBytesOfASingleObject() {
        String body = " {\"id\": \"P-1\",  \"doc\": {\"price\": 1290}}\n";
        assertThat(strings(PayloadSplitter.splitJson(bytes(body), 10, NONE)))
                .containsExactly("{\"id\": \"P-1\",  \"doc\": {\"price\": 1290}}");
    }

    @Test
    void splitsAnArrayIntoItsObjects() {
        String body = "[{\"id\":\"a\"}, {\"id\":\"b\",\"doc\":{\"n\":[1,2]}}]";
        assertThat(strings(PayloadSplitter.splitJson(bytes(body), 10, NONE)))
                .containsExactly("{\"id\":\"a\"}", "{\"id\":\"b\",\"doc\":{\"n\":[1,2]}}");
    }

    @Test
    void splitsNdjsonSkippingBlankLines() {
        String body = "{\"id\":\"a\"}\n\n{\"id\":\"b\"}\r\n";
        assertThat(strings(PayloadSplitter.splitNdjson(bytes(body), 10, NONE)))
                .containsExactly("{\"id\":\"a\"}", "{\"id\":\"b\"}");
    }

    @Test
    void reportsWhereTheJsonBreaks() {
        assertThatThrownBy(() -> PayloadSplitter.splitJson(bytes("[{\"id\":\"a\"},\n {\"id\": }]"), 10, NONE))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("line 2, column");
    }

    @Test
    void reportsTheNdjsonLineThatBreaks() {
        assertThatThrownBy(() -> PayloadSplitter.splitNdjson(bytes("{\"id\":\"a\"}\n{\"id\" \"b\"}\n"), 10, NONE))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("column 7 (byte 17)");
    }

    @Test
    void refusesAnArrayElementThatIsNotAnObject() {
        assertThatThrownBy(() -> PayloadSplitter.splitJson(bytes("[{\"id\":\"a\"}, 42]"), 10, NONE))
                .hasMessageContaining("array element 2 is not a JSON object");
    }

    @Test
    void refusesTrailingContentAndEmptyBodies() {
        assertThatThrownBy(() -> PayloadSplitter.splitJson(bytes("{\"a\":1} {\"b\":2}"), 10, NONE))
                .hasMessageContaining("after the JSON value");
        assertThatThrownBy(() -> PayloadSplitter.splitJson(bytes("[]"), 10, NONE))
                .hasMessageContaining("carries no message");
        assertThatThrownBy(() -> PayloadSplitter.splitNdjson(bytes("\n\n"), 10, NONE))
                .hasMessageContaining("carries no message");
    }

    @Test
    void refusesMoreMessagesThanTheLimitWith413() {
        assertThatThrownBy(() -> PayloadSplitter.splitJson(bytes("[{},{},{}]"), 2, NONE))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> messages) {
        return messages.stream().map(m -> new String(m, StandardCharsets.UTF_8)).toList();
    }
}
