package io.dynamicindex.management.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;

import io.dynamicindex.management.audit.ChangeAudit;

/**
 * Runs after Spring Security has authorized a request. A {@code POST}, {@code PUT} or {@code PATCH} must declare a
 * JSON content type, even without a body, so that no cross-site form or other "simple" request can reach a write
 * (a {@code DELETE} never is one: browsers preflight it); the refusal is 415. Every write, refused or not, is handed
 * to {@link ChangeAudit} with the token's name, the answer's status and up to 2 KB of its body.
 */
final class ManagementWrites extends OncePerRequestFilter {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> NEED_JSON = Set.of("POST", "PUT", "PATCH");
    private static final int BODY_KEPT = 2048;

    private final ChangeAudit audit;

    ManagementWrites(ChangeAudit audit) {
        this.audit = audit;
    }

    /**
     * The handler of a refused authorization (a viewer's write: 403) that also hands a refused write to the audit,
     * like every other write; a refused read is left to Spring Security's {@code AUTHORIZATION_FAILURE} event.
     */
    static AccessDeniedHandler auditingRefusals(AccessDeniedHandler handler, ChangeAudit audit) {
        return (request, response, denied) -> {
            handler.handle(request, response, denied);
            if (WRITES.contains(request.getMethod())) {
                audit.record(new ChangeAudit.Change(actor(), request.getMethod(), request.getRequestURI(),
                        request.getQueryString(), HttpServletResponse.SC_FORBIDDEN, ""));
            }
        };
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WRITES.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingRequestWrapper cached = new ContentCachingRequestWrapper(request, BODY_KEPT);
        try {
            if (NEED_JSON.contains(request.getMethod()) && !isJson(request.getContentType())) {
                refuse(response);
                return;
            }
            chain.doFilter(cached, response);
        } finally {
            audit.record(new ChangeAudit.Change(actor(), request.getMethod(), request.getRequestURI(),
                    request.getQueryString(), response.getStatus(),
                    new String(cached.getContentAsByteArray(), StandardCharsets.UTF_8)));
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equals("application")
                    && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"title\":\"Unsupported Media Type\",\"status\":415,\"detail\":\"a management "
                + "write needs Content-Type: application/json, even without a body\"}");
    }

    private static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "anonymous" : authentication.getName();
    }
}
