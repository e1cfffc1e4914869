package io.dynamicindex.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;

import io.dynamicindex.server.config.PartnerKeys;
import io.dynamicindex.server.config.PartnerKeys.Partner;
import io.dynamicindex.server.config.QueueServerProperties;
import io.dynamicindex.server.publish.ConfirmedPublisher;

/**
 * {@code POST /api/v1/queues/{queue}/messages}: answers 202 only after the broker confirmed every message.
 * {@code GET /api/v1/queues}: the queues the caller's key may write, with their depth.
 */
@RestController
@RequestMapping("/api/v1/queues")
class MessagesController {

    static final String API_KEY = "X-API-Key";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final java.util.regex.Pattern VALID_IDEMPOTENCY_KEY =
            java.util.regex.Pattern.compile("[\\x21-\\x7E]{1,200}");
    private static final Logger LOG = LoggerFactory.getLogger(MessagesController.class);

    private final PartnerKeys partnerKeys;
    private final QueueServerProperties properties;
    private final ConfirmedPublisher publisher;
    private final AmqpAdmin admin;
    private final MeterRegistry meters;
    private final ChangeRules rules;
    private final LogThrottle authFailureLog;

    MessagesController(PartnerKeys partnerKeys, QueueServerProperties properties, ConfirmedPublisher publisher,
                       AmqpAdmin admin, MeterRegistry meters, ChangeRules rules) {
        this.partnerKeys = partnerKeys;
        this.properties = properties;
        this.publisher = publisher;
        this.admin = admin;
        this.meters = meters;
        this.rules = rules;
        this.authFailureLog = new LogThrottle(properties.authFailureLogInterval(), System::nanoTime);
    }

    /** The answer to an accepted request. */
    record Accepted(String queue, int accepted, String requestId) {
    }

    /** One queue the caller may write, with the number of messages waiting in it (null when unknown). */
    record QueueDepth(String queue, Long depth) {
    }

    @PostMapping("/{queue}/messages")
    ResponseEntity<Accepted> publish(@PathVariable String queue,
                                     @RequestHeader(value = API_KEY, required = false) String apiKey,
                                     @RequestHeader(value = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                     HttpServletRequest request) throws IOException {
        Partner partner = authorize(apiKey, queue);
        requireValid(idempotencyKey);
        MediaType type = BodyEncoding.parse(request.getContentType());
        boolean ndjson = BodyEncoding.ndjson(type);
        byte[] body = BodyEncoding.utf8(readBody(request), type);
        ChangeCheck check = rules.of(partner);
        List<byte[]> messages = ndjson
                ? PayloadSplitter.splitNdjson(body, properties.maxMessagesPerRequest(), check)
                : PayloadSplitter.splitJson(body, properties.maxMessagesPerRequest(), check);
        meters.summary("dynamicindex.server.request.bytes", "queue", queue).record(body.length);
        String requestId = UUID.randomUUID().toString();
        boolean envelope = properties.queues().get(queue).envelope() && messages.size() > 1;
        publisher.publish(queue, envelope ? List.of(PayloadSplitter.envelope(messages)) : messages,
                messages.size(), partner.name(), requestId, idempotencyKey);
        meters.counter("dynamicindex.server.accepted", "queue", queue, "partner", partner.name())
                .increment(messages.size());
        LOG.debug("{} request {} from {}: {} message(s) confirmed", queue, requestId, partner.name(),
                messages.size());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(queue, messages.size(), requestId));
    }

    @GetMapping
    List<QueueDepth> queues(@RequestHeader(value = API_KEY, required = false) String apiKey) {
        Partner partner = authenticate(apiKey);
        return partner.queues().stream().sorted().map(this::depth).toList();
    }

    private QueueDepth depth(String queue) {
        QueueInformation information = admin.getQueueInfo(queue);
        return new QueueDepth(queue, information == null ? null : (long) information.getMessageCount());
    }

    private Partner authenticate(String apiKey) {
        return partnerKeys.authenticate(apiKey).orElseThrow(() -> {
            meters.counter("dynamicindex.server.auth.failed").increment();
            long heldBack = authFailureLog.pass();
            if (heldBack >= 0) {
                LOG.warn("request refused: {} API key ({} more refused since the last such warning; every one is "
                        + "counted in dynamicindex.server.auth.failed)", apiKey == null ? "missing" : "unknown",
                        heldBack);
            }
            return new ApiException(HttpStatus.UNAUTHORIZED, "Unknown API key",
                    "send a valid partner key in the " + API_KEY + " header");
        });
    }

    /** A queue the key does not hold is 403 whether it exists or not, so that a key cannot list queue names. */
    private Partner authorize(String apiKey, String queue) {
        Partner partner = authenticate(apiKey);
        if (!partner.queues().contains(queue)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Queue not allowed",
                    "partner '" + partner.name() + "' may not write to queue '" + queue + "'");
        }
        return partner;
    }

    private static void requireValid(String idempotencyKey) {
        if (idempotencyKey != null && !VALID_IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid Idempotency-Key", "the " + IDEMPOTENCY_KEY
                    + " header must be 1 to 200 visible ASCII characters (no spaces)");
        }
    }

    private byte[] readBody(HttpServletRequest request) throws IOException {
        long limit = properties.maxRequestSize().toBytes();
        if (request.getContentLengthLong() > limit) {
            throw ApiException.tooLarge("the body has " + request.getContentLengthLong() + " bytes; the limit is "
                    + limit);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw ApiException.tooLarge("the body exceeds the limit of " + limit + " bytes");
            }
            return body;
        }
    }

}
