package io.dynamicindex.server.api;

import java.util.Set;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

import io.dynamicindex.common.IndexAllowList;
import io.dynamicindex.server.config.PartnerKeys.Partner;
import io.dynamicindex.server.config.QueueServerProperties;

/**
 * What every change must respect before the server publishes it: a nesting depth, a bound on its {@code prevDelete}
 * and {@code triggerDelete} lists and, for a partner with an allow-list, the indices it names (the top-level
 * {@code index} and the {@code index} of each entry of those lists). Reads each change once with a streaming parser
 * whose depth limit is {@code max-depth}, looking only at those fields; a change without an {@code index} passes (a
 * partner format that its queue's filter translates; the indexer checks again). Stateless, shared by request threads.
 */
@Component
class ChangeRules {

    private static final Set<String> TARGET_LISTS = Set.of("prevDelete", "triggerDelete");

    private final JsonFactory json;
    private final int maxDepth;
    private final int maxDeleteTargets;

    @Autowired
    ChangeRules(QueueServerProperties properties) {
        this(properties.maxDepth(), properties.maxDeleteTargets());
    }

    ChangeRules(int maxDepth, int maxDeleteTargets) {
        this.maxDepth = maxDepth;
        this.maxDeleteTargets = maxDeleteTargets;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build()).build();
    }

    /** The check of this partner's changes. */
    ChangeCheck of(Partner partner) {
        return (change, position) -> check(partner, change, position);
    }

    private void check(Partner partner, byte[] change, String position) {
        try (JsonParser parser = json.createParser(ObjectReadContext.empty(), change)) {
            try {
                checkFields(parser, partner, position);
            } catch (StreamConstraintsException e) {
                throw refusal(parser, position, e);
            }
        }
    }

    private void checkFields(JsonParser parser, Partner partner, String position) {
        parser.nextToken();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if ("index".equals(field)) {
                requireAllowed(parser, partner, position, "index");
            } else if (TARGET_LISTS.contains(field) && parser.currentToken() == JsonToken.START_ARRAY) {
                checkTargets(parser, partner, position, field);
            } else {
                parser.skipChildren();
            }
        }
    }

    /** The depth limit is this parser's own; any other constraint it meets is the splitter's too, named as is. */
    private ApiException refusal(JsonParser parser, String position, StreamConstraintsException e) {
        if (parser.streamReadContext().getNestingDepth() >= maxDepth) {
            return new ApiException(HttpStatus.BAD_REQUEST, "Change nested too deep", position + " is nested deeper "
                    + "than " + maxDepth + " levels (dynamic-index.server.max-depth); flatten its doc");
        }
        return ApiException.badRequest(position + ": " + e.getOriginalMessage());
    }

    /** The parser stands on the list's START_ARRAY; leaves it on its END_ARRAY. */
    private void checkTargets(JsonParser parser, Partner partner, String position, String field) {
        int entries = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (++entries > maxDeleteTargets) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "Too many delete targets", position + ": " + field
                        + " has more than " + maxDeleteTargets + " entries (dynamic-index.server.max-delete-targets);"
                        + " send the deletes as changes of their own");
            }
            if (parser.currentToken() == JsonToken.START_OBJECT) {
                checkTarget(parser, partner, position, field + "[" + (entries - 1) + "].index");
            } else {
                parser.skipChildren();
            }
        }
    }

    private static void checkTarget(JsonParser parser, Partner partner, String position, String field) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            boolean index = "index".equals(parser.currentName());
            parser.nextToken();
            if (index) {
                requireAllowed(parser, partner, position, field);
            } else {
                parser.skipChildren();
            }
        }
    }

    /** The parser stands on the value of an {@code index} field; a JSON null is no index. */
    private static void requireAllowed(JsonParser parser, Partner partner, String position, String field) {
        IndexAllowList allowed = partner.indices();
        JsonToken value = parser.currentToken();
        if (allowed.unrestricted() || value == JsonToken.VALUE_NULL) {
            parser.skipChildren();
            return;
        }
        String index = value.isScalarValue() ? parser.getString() : "(a JSON " + value.name() + ")";
        if (!value.isScalarValue() || !allowed.allows(index)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Index not allowed", position + ": " + field + " '"
                    + index + "' is not among the indices partner '" + partner.name() + "' may write ("
                    + allowed + "); nothing of this request was queued");
        }
    }
}
