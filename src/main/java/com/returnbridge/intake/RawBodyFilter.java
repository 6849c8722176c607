package com.returnbridge.intake;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The webhook endpoints verify the signature over the bytes as sent, whatever the Content-Type says. A form or
 * multipart content type would otherwise let the container (or the multipart resolver) consume the body as
 * parameters or parts before the controller reads it, and a correctly signed delivery would fail its signature. So
 * the body of a webhook POST is read first, up to one byte past the limit, and given back as the input stream; the
 * body is never parameters or parts here.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RawBodyFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !"POST".equals(request.getMethod()) || !path.startsWith("/webhooks/")
                || request.getContentLengthLong() > WebhookController.MAX_BODY_BYTES;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(WebhookController.MAX_BODY_BYTES + 1);
        }
        chain.doFilter(new RawBody(request, body), response);
    }

    /** The request with its body as bytes only: query parameters stay, the body is never parameters or parts. */
    static final class RawBody extends HttpServletRequestWrapper {

        private final byte[] body;
        private final Map<String, String[]> query;

        RawBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
            var params = UriComponentsBuilder.newInstance().query(request.getQueryString()).build().getQueryParams();
            java.util.LinkedHashMap<String, String[]> map = new java.util.LinkedHashMap<>();
            params.forEach((k, v) -> map.put(k, v.stream().map(x -> x == null ? "" : x).toArray(String[]::new)));
            this.query = Collections.unmodifiableMap(map);
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public String getParameter(String name) {
            String[] values = query.get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return query;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(query.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return query.get(name);
        }

        @Override
        public Collection<Part> getParts() {
            return List.of();
        }

        @Override
        public Part getPart(String name) {
            return null;
        }
    }
}
