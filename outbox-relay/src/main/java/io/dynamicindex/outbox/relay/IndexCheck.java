package io.dynamicindex.outbox.relay;

import java.util.Optional;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import io.dynamicindex.common.IndexAllowList;

/**
 * Checks the indices an outbox row's change names against its queue's allow-list, as the queue server checks a
 * partner's changes: the top-level {@code index} and the {@code index} of every {@code prevDelete} and
 * {@code triggerDelete} entry. A change without an {@code index}, or with a JSON null, passes (a partner format that
 * the queue's filter translates; the indexer's {@code allowed-indices} checks again after it). Reads the payload
 * once with a streaming parser, looking only at those fields, and only for a queue that has an allow-list. A payload
 * the parser cannot read to the end (one past Jackson's limits, which the indexer's parser has too: 500 levels of
 * nesting, numbers of 1,000 digits) cannot be checked, so it is refused as well. Stateless and thread-safe.
 */
final class IndexCheck {

    /** The rejection cause of a row that names an index outside its queue's allow-list. */
    static final String NOT_ALLOWED = "index_not_allowed";
    /** The rejection cause of a row whose payload cannot be read to check its indices. */
    static final String UNREADABLE = "unreadable_payload";

    private static final Set<String> TARGET_LISTS = Set.of("prevDelete", "triggerDelete");
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private IndexCheck() {
    }

    /** Why the row must not be published, or empty when every index it names is allowed. */
    static Optional<OutboxStore.Rejection> check(OutboxRow row, IndexAllowList allowed) {
        if (allowed.unrestricted()) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), row.payload())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.of(new OutboxStore.Rejection(row, UNREADABLE, "the payload is not a JSON object"));
            }
            return firstOutside(parser, allowed).map(outside -> new OutboxStore.Rejection(row, NOT_ALLOWED,
                    outside + " is not in dynamic-index.outbox.queues." + row.queue() + ".indices " + allowed));
        } catch (JacksonException e) {
            return Optional.of(new OutboxStore.Rejection(row, UNREADABLE, "the payload cannot be read to check its "
                    + "indices: " + e.getOriginalMessage()));
        }
    }

    /** The parser stands on the change's START_OBJECT; the field and index of the first index outside, if any. */
    private static Optional<String> firstOutside(JsonParser parser, IndexAllowList allowed) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            Optional<String> outside = Optional.empty();
            if ("index".equals(field)) {
                outside = outside(parser, allowed, field);
            } else if (TARGET_LISTS.contains(field) && value == JsonToken.START_ARRAY) {
                outside = firstOutsideTargets(parser, allowed, field);
            } else {
                parser.skipChildren();
            }
            if (outside.isPresent()) {
                return outside;
            }
        }
        return Optional.empty();
    }

    /** The parser stands on the list's START_ARRAY; leaves it on its END_ARRAY unless an index is outside. */
    private static Optional<String> firstOutsideTargets(JsonParser parser, IndexAllowList allowed, String list) {
        int entry = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            Optional<String> outside = Optional.empty();
            if (parser.currentToken() == JsonToken.START_OBJECT) {
                outside = firstOutsideTarget(parser, allowed, list + "[" + entry + "].index");
            } else {
                parser.skipChildren();
            }
            if (outside.isPresent()) {
                return outside;
            }
            entry++;
        }
        return Optional.empty();
    }

    private static Optional<String> firstOutsideTarget(JsonParser parser, IndexAllowList allowed, String field) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            boolean index = "index".equals(parser.currentName());
            parser.nextToken();
            if (index) {
                Optional<String> outside = outside(parser, allowed, field);
                if (outside.isPresent()) {
                    return outside;
                }
            } else {
                parser.skipChildren();
            }
        }
        return Optional.empty();
    }

    /** The parser stands on the value of an {@code index} field; an object or array is never an allowed name. */
    private static Optional<String> outside(JsonParser parser, IndexAllowList allowed, String field) {
        JsonToken value = parser.currentToken();
        if (value == JsonToken.VALUE_NULL) {
            return Optional.empty();
        }
        if (!value.isScalarValue()) {
            parser.skipChildren();
            return Optional.of(field + " (a JSON " + (value == JsonToken.START_ARRAY ? "array" : "object") + ")");
        }
        String index = parser.getString();
        return allowed.allows(index) ? Optional.empty() : Optional.of(field + " '" + index + "'");
    }
}
