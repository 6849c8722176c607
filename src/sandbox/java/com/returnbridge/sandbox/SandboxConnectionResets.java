package com.returnbridge.sandbox;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns a {@link SandboxFaults.Kind#CONNECTION_RESET} into what a client sees when the connection drops mid-answer:
 * the headers promise a body that never comes, and the connection closes. The client gets an I/O error, no status.
 */
@Component
@ConditionalOnSandbox
public class SandboxConnectionResets extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.startsWith("/sandbox/loop/") || path.startsWith("/sandbox/shiphero/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            if (!isReset(e)) {
                throw e;
            }
            response.reset();
            response.setStatus(200);
            response.setHeader("Connection", "close");
            response.setContentType("application/json");
            response.setContentLength(4096);
            response.getOutputStream().write("{\"da".getBytes(StandardCharsets.US_ASCII));
            response.flushBuffer();
            throw new IOException("sandbox: connection reset");
        }
    }

    private static boolean isReset(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SandboxFaults.ConnectionReset) {
                return true;
            }
        }
        return false;
    }
}
