package io.dynamicindex.scheduler.move;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.StreamReadConstraints;

/** Which bodies may join a pack, and which bytes of them go into it. */
class JsonBodyTest {

    static Stream<Arguments> packable() {
        return Stream.of(
                Arguments.of("{\"n\":1}", 1, "{\"n\":1}"),
                Arguments.of("  {\"n\":\"]},[\"}\n", 1, "{\"n\":\"]},[\"}"),
                Arguments.of("[{\"n\":1}, {\"n\":[2,{}]}]", 2, "{\"n\":1}, {\"n\":[2,{}]}"),
                Arguments.of("\n[ {\"a\":\"[\"} ,\n{\"b\":\"]\"} ]  ", 2, "{\"a\":\"[\"} ,\n{\"b\":\"]\"}"),
                Arguments.of("[{\"text\":\"caf\u00e9 \u2013 ok\"}]", 1, "{\"text\":\"caf\u00e9 \u2013 ok\"}"));
    }

    @ParameterizedTest
    @MethodSource("packable")
    void packableBodiesYieldTheirElements(String body, int changes, String elements) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        JsonBody shape = JsonBody.of(bytes);

        assertThat(shape.packable()).isTrue();
        assertThat(shape.changes()).isEqualTo(changes);
        assertThat(new String(bytes, shape.from(), shape.length(), StandardCharsets.UTF_8)).isEqualTo(elements);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", " [ ] "})
    void anEmptyArrayJoinsWithNothing(String body) {
        JsonBody shape = JsonBody.of(body.getBytes(StandardCharsets.UTF_8));

        assertThat(shape.packable()).isTrue();
        assertThat(shape.changes()).isZero();
        assertThat(shape.length()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "", "42", "\"text\"", "[1,2]", "[{\"n\":1}, 2]", "{\"n\":1} {\"n\":2}",
            "{\"n\":1}, {\"n\":2}", "[{\"n\":1}] x", "{\"n\":", "[{\"n\":1}", "{\"n\":1}}"})
    void anythingElseTravelsAlone(String body) {
        JsonBody shape = JsonBody.of(body.getBytes(StandardCharsets.UTF_8));

        assertThat(shape.packable()).isFalse();
        assertThat(shape.changes()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"})
    void aBodyInAnotherEncodingThanUtf8TravelsAlone(String charset) {
        JsonBody shape = JsonBody.of("[{\"n\":1}, {\"n\":2}]".getBytes(Charset.forName(charset)));

        assertThat(shape.packable()).isFalse();
        assertThat(shape.changes()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c3", "ff", "c0af", "eda080", "e282"})
    void aBodyWithBytesThatAreNotUtf8InsideAStringTravelsAlone(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] head = "[{\"n\":\"caf".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}, {\"n\":2}]".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bad, 0, body, head.length, bad.length);
        System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);

        assertThat(JsonBody.of(body).packable()).as(hex).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {StreamReadConstraints.DEFAULT_MAX_DEPTH - 1, StreamReadConstraints.DEFAULT_MAX_DEPTH})
    void anObjectThatWouldPassTheIndexersDepthLimitInsideAPackTravelsAlone(int depth) {
        String body = "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);

        assertThat(JsonBody.of(body.getBytes(StandardCharsets.UTF_8)).packable())
                .isEqualTo(depth < StreamReadConstraints.DEFAULT_MAX_DEPTH);
    }
}
