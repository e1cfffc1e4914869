package io.dynamicindex.indexer.rebuild;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of the one {@code POST /_aliases} that moves an alias to the new index; Elasticsearch applies all its
 * actions atomically, so every search through the name finds either the old or the new index. A concrete index of
 * the alias's name is deleted by {@code remove_index} in the same call (an alias cannot share a name with an index);
 * indices the alias pointed to lose it and are kept.
 */
final class AliasSwitch {

    private AliasSwitch() {
    }

    static ObjectNode body(JsonMapper json, String alias, String target, AliasState current) {
        ObjectNode body = json.createObjectNode();
        ArrayNode actions = body.putArray("actions");
        if (current.concreteIndex()) {
            actions.addObject().putObject("remove_index").put("index", alias);
        }
        for (String index : current.indices()) {
            if (!index.equals(target)) {
                actions.addObject().putObject("remove").put("index", index).put("alias", alias);
            }
        }
        actions.addObject().putObject("add").put("index", target).put("alias", alias);
        return body;
    }
}
