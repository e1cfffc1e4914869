package io.dynamicindex.indexer.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.Phase;
import io.dynamicindex.indexer.filter.example.TshopFeedFilter;

class TshopFeedFilterTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final TshopFeedFilter filter = new TshopFeedFilter();

    @Test
    void indexesAnAvailableItemAsACanonicalProduct() {
        FilterResult.Accepted result = (FilterResult.Accepted) translate(
                "{\"sku\":\"123\",\"title\":\"Kettle\",\"priceCents\":2990,\"status\":\"AVAILABLE\"}");
        assertThat(result.operations()).singleElement().satisfies(operation -> {
            assertThat(operation.phase()).isEqualTo(Phase.INDEX);
            assertThat(operation.key()).isEqualTo(new DocumentKey("products", "TSHOP-123"));
            assertThat(operation.doc().toString()).isEqualTo("{\"name\":\"Kettle\",\"price\":2990,\"shop\":\"TSHOP\"}");
        });
    }

    @Test
    void deletesASoldOutItemAndRejectsAnItemWithoutSku() {
        FilterResult.Accepted soldOut = (FilterResult.Accepted) translate("{\"sku\":\"9\",\"status\":\"SOLD_OUT\"}");
        assertThat(soldOut.operations()).singleElement()
                .satisfies(operation -> assertThat(operation.phase()).isEqualTo(Phase.DELETE));
        assertThat(translate("{\"title\":\"x\"}")).isEqualTo(new FilterResult.Rejected("TSHOP item without 'sku'"));
        assertThat(filter.documentKeys(json.readTree("{\"sku\":\"9\"}"))).containsExactly("products/TSHOP-9");
    }

    private FilterResult translate(String item) {
        return filter.apply(List.of(new PartnerMessage("q", json.readTree(item)))).get(0);
    }
}
