package io.dynamicindex.indexer.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One random canonical message, kept in a form both the model and the JSON writer read. */
public record GeneratedMessage(String action, String index, String id, Long version, Map<String, Object> doc,
                        boolean upsert, List<String> prevDeletes, List<String> triggerDeletes) {

    public String key() {
        return index + "/" + id;
    }

    public String toJson() {
        StringBuilder json = new StringBuilder("{\"action\":\"").append(action).append("\",\"index\":\"")
                .append(index).append("\",\"id\":\"").append(id).append('"');
        if (version != null) {
            json.append(",\"version\":").append(version);
        }
        if (doc != null) {
            json.append(",\"doc\":{");
            List<String> fields = new ArrayList<>();
            doc.forEach((field, value) -> fields.add("\"" + field + "\":" + value));
            json.append(String.join(",", fields)).append('}');
        }
        if (upsert) {
            json.append(",\"upsert\":true");
        }
        appendTargets(json, "prevDelete", prevDeletes);
        appendTargets(json, "triggerDelete", triggerDeletes);
        return json.append('}').toString();
    }

    private static void appendTargets(StringBuilder json, String field, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        List<String> targets = new ArrayList<>();
        for (String key : keys) {
            String[] parts = key.split("/");
            targets.add("{\"index\":\"" + parts[0] + "\",\"id\":\"" + parts[1] + "\"}");
        }
        json.append(",\"").append(field).append("\":[").append(String.join(",", targets)).append(']');
    }
}
