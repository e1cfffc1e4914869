package io.dynamicindex.indexer.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class RebuildBulkBodyTest {

    private final RebuildBulkBody body = new RebuildBulkBody(JsonMapper.builder().build(), "products-2");

    @Test
    void indexesLiveRowsWithRoutingAndExternalGteVersionAndTheSourceAsArchived() {
        body.add(new ArchiveRow("a\"1", "shop7", 12L, "{\"name\": \"x\\ny\"}", false, 5));
        body.add(new ArchiveRow("b", null, null, "{\"n\": 1}", false, 6));

        assertThat(text()).isEqualTo("""
                {"index":{"_index":"products-2","_id":"a\\"1","routing":"shop7","version":12,\
                "version_type":"external_gte"}}
                {"name": "x\\ny"}
                {"index":{"_index":"products-2","_id":"b"}}
                {"n": 1}
                """);
        assertThat(body.rows()).extracting(ArchiveRow::docId).containsExactly("a\"1", "b");
    }

    @Test
    void deletesDeletedRowsKeepingTheirVersion() {
        body.add(new ArchiveRow("c", null, 4L, null, true, 9));
        body.add(new ArchiveRow("d", "r", null, null, true, 10));

        assertThat(text()).isEqualTo("""
                {"delete":{"_index":"products-2","_id":"c","version":4,"version_type":"external_gte"}}
                {"delete":{"_index":"products-2","_id":"d","routing":"r"}}
                """);
    }

    @Test
    void sizeIsTheBodysBytes() {
        assertThat(body.isEmpty()).isTrue();
        body.add(new ArchiveRow("é", null, null, "{\"n\": \"ü\"}", false, 1));
        assertThat(body.size()).isEqualTo(body.bytes().length).isEqualTo(text().getBytes(StandardCharsets.UTF_8)
                .length);
    }

    @Test
    void refusesALiveRowWithoutDocument() {
        assertThatThrownBy(() -> body.add(new ArchiveRow("e", null, null, null, false, 1)))
                .isInstanceOf(RebuildFailure.class).hasMessageContaining("e");
    }

    private String text() {
        return new String(body.bytes(), StandardCharsets.UTF_8);
    }
}
