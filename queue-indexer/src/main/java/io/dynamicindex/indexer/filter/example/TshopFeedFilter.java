package io.dynamicindex.indexer.filter.example;

import java.util.List;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;
import io.dynamicindex.indexer.filter.FilterResult;
import io.dynamicindex.indexer.filter.MessageFilter;
import io.dynamicindex.indexer.filter.PartnerMessage;

/**
 * An example of a custom filter: the partner TSHOP sends its own feed format,
 * {@code {"sku": "123", "title": "...", "priceCents": 1290, "status": "AVAILABLE" | "SOLD_OUT"}}. A sold-out item
 * deletes {@code products/TSHOP-<sku>}; any other item indexes it with the canonical product fields. Select it
 * with {@code dynamic-index.indexer.queues.<Q>.filter=tshopFeedFilter}.
 */
@Component("tshopFeedFilter")
public class TshopFeedFilter implements MessageFilter {

    static final String INDEX = "products";

    @Override
    public List<FilterResult> apply(List<PartnerMessage> batch) {
        return MessageFilter.eachMessage(batch, TshopFeedFilter::translate);
    }

    @Override
    public List<String> documentKeys(JsonNode message) {
        return List.of(INDEX + "/" + id(message));
    }

    private static FilterResult translate(JsonNode item) {
        if (!item.path("sku").isString() || item.path("sku").asString().isBlank()) {
            return FilterResult.rejected("TSHOP item without 'sku'");
        }
        DocumentKey key = new DocumentKey(INDEX, id(item));
        if ("SOLD_OUT".equals(item.path("status").asString(""))) {
            return new FilterResult.Accepted(List.of(IndexOperation.delete(Phase.DELETE, key, null, null)));
        }
        if (!item.path("priceCents").canConvertToLong()) {
            return FilterResult.rejected("TSHOP item " + item.path("sku").asString() + " without 'priceCents'");
        }
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("name", item.path("title").asString(""));
        doc.put("price", item.path("priceCents").longValue());
        doc.put("shop", "TSHOP");
        return new FilterResult.Accepted(List.of(new IndexOperation(Phase.INDEX, key, null, null, doc, false)));
    }

    private static String id(JsonNode item) {
        return "TSHOP-" + item.path("sku").asString("");
    }
}
