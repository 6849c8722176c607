package com.returnbridge.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The one place a merchant user's request is held to its connections, for every controller, those added later
 * included: the connection a request names — the {@code connection} parameter anywhere; a path variable
 * {@code connection} or {@code connectionId} anywhere; {@code id} under {@code /connections/} and
 * {@code /api/connections/}; a return's or a delivery's own id under {@code /returns/}, {@code /deliveries/} and their
 * {@code /api} forms, by the connection it belongs to — must be one the user was given, else 403. A request that names
 * none is served, and its lists leave the other connections out ({@link Access}).
 */
@Configuration
class MerchantScope implements HandlerInterceptor, WebMvcConfigurer {

    private final Access access;
    private final ConsoleQueries queries;

    MerchantScope(Access access, ConsoleQueries queries) {
        this.access = access;
        this.queries = queries;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (!access.isMerchant()) {
            return true;
        }
        for (String connection : named(request)) {
            if (!access.mayRead(connection)) {
                refuse(request, response);
                return false;
            }
        }
        return true;
    }

    /** Every connection the request names, directly or through the return or delivery it names. */
    private Set<String> named(HttpServletRequest request) {
        Set<String> out = new LinkedHashSet<>();
        String param = request.getParameter("connection");
        if (param != null && !param.isBlank()) {
            out.add(param.trim());
        }
        @SuppressWarnings("unchecked")
        Map<String, String> vars = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (vars == null) {
            return out;
        }
        add(out, vars.get("connection"));
        add(out, vars.get("connectionId"));
        String id = vars.get("id");
        if (id != null) {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            if (path.startsWith("/connections/") || path.startsWith("/api/connections/")) {
                out.add(id);
            } else if (path.startsWith("/returns/") || path.startsWith("/api/returns/")) {
                // unknown: an id nobody has; the page answers not found
                out.add(number(id).flatMap(queries::link).map(l -> l.connectionId()).orElse(null));
            } else if (path.startsWith("/deliveries/") || path.startsWith("/api/deliveries/")) {
                out.add(number(id).flatMap(queries::delivery).map(d -> d.connectionId()).orElse(null));
            }
        }
        out.remove(null);
        return out;
    }

    private static void add(Set<String> out, String value) {
        if (value != null && !value.isBlank()) {
            out.add(value);
        }
    }

    private static Optional<Long> number(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String reason = "this connection is not one of yours";
        if (path.startsWith("/api/")) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"error\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8));
        } else {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, reason);
        }
    }
}
