package com.returnbridge.sandbox;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A fixed delay on every call to the simulated vendors, so benchmarks see vendor round-trips of a realistic
 * length ({@code returnbridge.sandbox.latency}, changeable at run time through the control API).
 */
@Component
@ConditionalOnSandbox
public class SandboxLatency extends OncePerRequestFilter {

    private volatile Duration latency;

    public SandboxLatency(@Value("${returnbridge.sandbox.latency:PT0S}") Duration latency) {
        this.latency = latency;
    }

    public Duration latency() {
        return latency;
    }

    public void set(Duration latency) {
        this.latency = latency;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.startsWith("/sandbox/loop/") || path.startsWith("/sandbox/shiphero/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Duration wait = latency;
        if (!wait.isZero()) {
            try {
                Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        chain.doFilter(request, response);
    }
}
