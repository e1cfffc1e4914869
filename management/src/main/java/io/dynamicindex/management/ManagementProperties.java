package io.dynamicindex.management;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The management plane's operator tokens ({@code dynamic-index.management.*}), the same in all three daemons. The
 * plane itself is served on {@code management.server.port} and {@code management.server.address} (127.0.0.1 by
 * default).
 *
 * @param tokens           operator tokens by name; the name is what the audit trail records as the actor. Each holds
 *                         the SHA-256 (64 hex digits) of its token and a role.
 * @param allowPlainTokens accept {@code tokens.<name>.token} in plain text; for development only, default false.
 * @param audit            how the audit trail is written.
 */
@Validated
@ConfigurationProperties(prefix = "dynamic-index.management", ignoreUnknownFields = false)
public record ManagementProperties(@DefaultValue Map<String, @Valid TokenSettings> tokens,
                                   @DefaultValue("false") boolean allowPlainTokens,
                                   @DefaultValue @Valid AuditSettings audit) {

    /**
     * The audit trail's writer: events are queued and stored by one background thread, so that a flood of refused
     * requests never waits on, or takes connections from, the database the daemon's work shares.
     *
     * @param queueCapacity most audit events waiting to be stored, default 10000; beyond it an event is dropped and
     *                      counted in {@code dynamicindex.management.audit.dropped} (its INFO log line, for a change,
     *                      is still written).
     */
    public record AuditSettings(@DefaultValue("10000") @Min(1) int queueCapacity) {
    }

    /**
     * One operator token.
     *
     * @param tokenSha256 the SHA-256 of the token as 64 hex digits ({@code printf %s "$TOKEN" | sha256sum}).
     * @param token       the token in plain text; refused unless {@code allow-plain-tokens=true}.
     * @param role        {@code viewer} reads everything; {@code operator} may also change it.
     */
    public record TokenSettings(String tokenSha256, String token, @NotNull OperatorRole role) {

        /** Never the token: a settings object that reaches a log must not carry it. */
        @Override
        public String toString() {
            return "TokenSettings[role=" + role + ", token=(not shown)]";
        }
    }
}
