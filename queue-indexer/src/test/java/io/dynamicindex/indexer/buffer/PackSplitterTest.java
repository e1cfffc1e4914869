package io.dynamicindex.indexer.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class PackSplitterTest {

    @Test
    void splitsAtTopLevelCommasOnlyKeepingEachElementsBytes() {
        assertThat(split(" [ {\"a\":\"x,]}\\\"\"} ,\n{\"b\":[1,{\"c\":2}]},{\"bad\":01} ] "))
                .containsExactly("{\"a\":\"x,]}\\\"\"}", "{\"b\":[1,{\"c\":2}]}", "{\"bad\":01}");
    }

    @Test
    void keepsAnUnterminatedLastElementAsItStands() {
        assertThat(split("[{\"a\":1},{\"b\":")).containsExactly("{\"a\":1}", "{\"b\":");
    }

    @Test
    void findsNoElementsInWhatIsNotAnArray() {
        assertThat(split("{\"a\":1")).isEmpty();
        assertThat(split("[]")).isEmpty();
    }

    private static List<String> split(String body) {
        return PackSplitter.elements(body.getBytes(StandardCharsets.UTF_8)).stream()
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList();
    }
}
