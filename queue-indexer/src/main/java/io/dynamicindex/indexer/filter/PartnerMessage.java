package io.dynamicindex.indexer.filter;

import tools.jackson.databind.JsonNode;

/**
 * One partner message as a filter sees it.
 *
 * @param queue the queue it came from
 * @param body  the parsed JSON object
 */
public record PartnerMessage(String queue, JsonNode body) {
}
