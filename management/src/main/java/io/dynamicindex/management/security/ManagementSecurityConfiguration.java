package io.dynamicindex.management.security;

import javax.sql.DataSource;

import jakarta.servlet.DispatcherType;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

import io.dynamicindex.management.ManagementProperties;
import io.dynamicindex.management.audit.ChangeAudit;
import io.dynamicindex.management.audit.JdbcAuditEventRepository;
import io.dynamicindex.management.audit.QueuedAuditStore;
import io.dynamicindex.management.audit.RefusalsAndChanges;

/**
 * The management plane's Spring Security chain, the same in every daemon. Liveness and readiness stay open for
 * orchestrators, and so do the console's static files (they hold no data; the page asks for a token). Every other
 * request needs a bearer operator token: reads ({@code GET}, {@code HEAD}) the viewer role, anything else the
 * operator role. No session and no cookie is ever issued, so a browser never sends a credential on its own and CSRF
 * has nothing to ride on; writes must still be JSON ({@link ManagementWrites}). A daemon whose partner API shares
 * the servlet container adds a chain of higher precedence for it.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        beforeName = {
                "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.actuate.web.servlet"
                        + ".ManagementWebSecurityAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.audit.AuditAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.audit.AuditEventsEndpointAutoConfiguration"})
@EnableConfigurationProperties(ManagementProperties.class)
public class ManagementSecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementSecurityConfiguration.class);

    @Bean
    OperatorTokens operatorTokens(ManagementProperties properties) {
        OperatorTokens tokens = OperatorTokens.from(properties);
        if (tokens.isEmpty()) {
            LOG.warn("no operator token configured (dynamic-index.management.tokens.<name>.token-sha256): the "
                    + "management plane answers 401 to everything but liveness and readiness");
        } else {
            LOG.info("management plane tokens: {}", tokens.describe());
        }
        return tokens;
    }

    @Bean(destroyMethod = "close")
    RefusalsAndChanges auditEventRepository(ObjectProvider<DataSource> dataSource, Environment environment,
                                            ManagementProperties properties, ObjectProvider<MeterRegistry> meters) {
        DataSource database = dataSource.getIfAvailable();
        AuditEventRepository store = database == null ? new InMemoryAuditEventRepository()
                : new JdbcAuditEventRepository(database, environment.getProperty("spring.application.name", "daemon"));
        return new RefusalsAndChanges(new QueuedAuditStore(store, properties.audit().queueCapacity(),
                meters.getIfAvailable(SimpleMeterRegistry::new)));
    }

    @Bean
    ChangeAudit changeAudit(AuditEventRepository repository) {
        return new ChangeAudit(repository);
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE - 10)
    SecurityFilterChain managementSecurityFilterChain(HttpSecurity http, OperatorTokens tokens, ChangeAudit audit) {
        http.authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health/liveness", "/actuator/health/readiness").permitAll()
                        .requestMatchers(HttpMethod.GET, "/console", "/console/**").permitAll()
                        .requestMatchers(HttpMethod.GET).hasRole("VIEWER")
                        .requestMatchers(HttpMethod.HEAD).hasRole("VIEWER")
                        .anyRequest().hasRole("OPERATOR"))
                .oauth2ResourceServer(server -> server.opaqueToken(opaque ->
                        opaque.introspector(new TokenIntrospector(tokens))))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .exceptionHandling(handling -> handling.accessDeniedHandler(
                        ManagementWrites.auditingRefusals(new BearerTokenAccessDeniedHandler(), audit)))
                .addFilterAfter(new ManagementWrites(audit), AuthorizationFilter.class);
        return http.build();
    }
}
