package io.dynamicindex.scheduler.move;

import java.util.Map;

import com.rabbitmq.client.Delivery;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import io.dynamicindex.common.MessageHeaders;

/**
 * How many changes a message carries, which is what the throttle counts: its {@code x-changes} header; without one,
 * the length of its JSON array; anything else (one object, or bytes that are not JSON) is one change.
 */
final class ChangeCount {

    private static final JsonFactory JSON = new JsonFactory();

    private ChangeCount() {
    }

    static int of(Delivery delivery) {
        Map<String, Object> headers = delivery.getProperties().getHeaders();
        Object header = headers == null ? null : headers.get(MessageHeaders.CHANGES);
        if (header instanceof Number number && number.intValue() > 0) {
            return number.intValue();
        }
        return startsAnArray(delivery.getBody()) ? arrayLength(delivery.getBody()) : 1;
    }

    private static boolean startsAnArray(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b == '[';
            }
        }
        return false;
    }

    private static int arrayLength(byte[] body) {
        int elements = 0;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            parser.nextToken();
            for (JsonToken token = parser.nextToken(); token != null && token != JsonToken.END_ARRAY;
                 token = parser.nextToken()) {
                elements++;
                parser.skipChildren();
            }
        } catch (JacksonException e) {
            return Math.max(1, elements);
        }
        return Math.max(1, elements);
    }
}
