package io.dynamicindex.indexer.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the indexer knows of the search engine it writes to: distribution and version as last read, and what is
 * wrong with them (an engine it does not support, or an answer it could not read). Written by the engine check,
 * read by the health component {@code elasticsearch} and the status API. Thread-safe: one immutable view at a time.
 */
public final class EngineStatus {

    private volatile View view = new View(null, null, true, "not read yet");

    /**
     * The engine as last read.
     *
     * @param distribution Elasticsearch or OpenSearch, null until read
     * @param version      as the engine reports it, null until read
     * @param supported    false when the engine read is one the indexer does not support
     * @param problem      why the engine is refused or could not be read; null when all is well
     */
    public record View(String distribution, String version, boolean supported, String problem) {
    }

    /** A supported engine was read. */
    public void read(String distribution, String version) {
        view = new View(distribution, version, true, null);
    }

    /** An engine the indexer does not support was read; the health component goes DOWN with the reason. */
    public void unsupported(String distribution, String version, String reason) {
        view = new View(distribution, version, false, reason);
    }

    /** The engine could not be read now; what was read before stays shown, with the reason. */
    public void unreadable(String reason) {
        View before = view;
        view = new View(before.distribution(), before.version(), before.supported(), reason);
    }

    public View view() {
        return view;
    }

    /** The health details: distribution and version when known, and the problem when there is one. */
    public Map<String, Object> details() {
        View now = view;
        Map<String, Object> details = new LinkedHashMap<>();
        if (now.distribution() != null) {
            details.put("distribution", now.distribution());
            details.put("version", now.version());
        }
        if (now.problem() != null) {
            details.put("engineProblem", now.problem());
        }
        return details;
    }
}
