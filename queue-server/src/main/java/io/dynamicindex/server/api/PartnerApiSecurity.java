package io.dynamicindex.server.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The partner API ({@code /api/v1/queues/**}) authenticates partners by their API keys in {@link MessagesController},
 * not by operator tokens: this chain, ahead of the management plane's, lets its requests through Spring Security
 * untouched (no session, no CSRF token: partners are programs). The management plane has its own port.
 */
@Configuration(proxyBeanMethods = false)
class PartnerApiSecurity {

    @Bean
    @Order(1)
    SecurityFilterChain partnerApiSecurityFilterChain(HttpSecurity http) {
        return http.securityMatcher("/api/v1/queues/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .build();
    }
}
