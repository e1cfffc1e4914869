package io.dynamicindex.management.security;

import java.util.Map;

import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Spring Security's opaque-token introspection answered locally: a bearer token is valid when its SHA-256 is one of
 * the configured operator tokens; the principal is the token's name and its authorities are its role's.
 */
final class TokenIntrospector implements OpaqueTokenIntrospector {

    private final OperatorTokens tokens;

    TokenIntrospector(OperatorTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String token) {
        OperatorTokens.Operator operator = tokens.authenticate(token)
                .orElseThrow(() -> new BadOpaqueTokenException("unknown operator token"));
        return new DefaultOAuth2AuthenticatedPrincipal(operator.name(),
                Map.of("sub", operator.name(), "role", operator.role().name().toLowerCase()),
                AuthorityUtils.createAuthorityList(operator.role().authorities()));
    }
}
