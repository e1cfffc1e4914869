package io.dynamicindex.indexer.rebuild;

import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The new index's settings and mappings, as an operator gives them: the body of a create-index request,
 * {@code {"settings": {...}, "mappings": {...}}}. Aliases are refused, since the rebuild moves the alias itself.
 * For a fast copy the index is created without replicas and without refresh, and both are restored from the given
 * settings (or Elasticsearch's defaults) before the catch-up.
 */
final class IndexSettings {

    private static final Set<String> SECTIONS = Set.of("settings", "mappings");
    private static final String REFRESH = "refresh_interval";
    private static final String REPLICAS = "number_of_replicas";

    private IndexSettings() {
    }

    /** The given body, checked; refuses with 400 what Elasticsearch would not take as a create-index body. */
    static ObjectNode parse(JsonMapper json, String text) {
        JsonNode body;
        try {
            body = json.readTree(text);
        } catch (JacksonException e) {
            // where, not what: a settings file may be any file the indexer can read, and its text is not echoed
            throw badInput("the settings are not JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (body == null || !body.isObject()) {
            throw badInput("the settings must be a JSON object {\"settings\": {...}, \"mappings\": {...}}");
        }
        for (String field : body.propertyNames()) {
            if (!SECTIONS.contains(field)) {
                throw badInput("unexpected field \"" + field + "\" in the settings: only \"settings\" and "
                        + "\"mappings\" (the rebuild moves the alias itself)");
            }
            if (!body.get(field).isObject()) {
                throw badInput("\"" + field + "\" must be a JSON object");
            }
        }
        return (ObjectNode) body;
    }

    /** The create-index body: the given one, with refresh off and no replicas when fastCopy. */
    static ObjectNode forCreate(ObjectNode given, boolean fastCopy) {
        ObjectNode body = given.deepCopy();
        if (!fastCopy) {
            return body;
        }
        ObjectNode settings = body.has("settings") ? (ObjectNode) body.get("settings") : body.putObject("settings");
        remove(settings, REFRESH);
        remove(settings, REPLICAS);
        settings.put("index." + REFRESH, "-1");
        settings.put("index." + REPLICAS, 0);
        return body;
    }

    /** The _settings body that restores refresh and replicas as given (null resets to the default). */
    static ObjectNode restore(JsonMapper json, ObjectNode given) {
        ObjectNode index = json.createObjectNode();
        JsonNode settings = given.path("settings");
        index.set(REFRESH, find(settings, REFRESH));
        index.set(REPLICAS, find(settings, REPLICAS));
        ObjectNode body = json.createObjectNode();
        body.set("index", index);
        return body;
    }

    /** The value of an index setting written as "name", "index.name" or {"index": {"name"}}, or JSON null. */
    private static JsonNode find(JsonNode settings, String name) {
        for (JsonNode value : new JsonNode[] {settings.path(name), settings.path("index." + name),
                settings.path("index").path(name)}) {
            if (!value.isMissingNode()) {
                return value;
            }
        }
        return tools.jackson.databind.node.NullNode.getInstance();
    }

    private static void remove(ObjectNode settings, String name) {
        settings.remove(name);
        settings.remove("index." + name);
        if (settings.get("index") instanceof ObjectNode index) {
            index.remove(name);
        }
    }

    private static RebuildRefusal badInput(String message) {
        return new RebuildRefusal(RebuildRefusal.Kind.BAD_INPUT, message);
    }
}
