package com.returnbridge.connection;

import com.returnbridge.bridge.VendorException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * One HTTP exchange with a vendor, the same way for every client: timed in {@code returnbridge.vendor.calls}
 * (vendor, operation, outcome), the answer read whatever its status (vendors put errors in 200s and bodies in
 * 4xx), and a lost connection or timeout turned into a transient failure — an uncertain one for a write, since
 * the vendor may have acted after we stopped listening.
 */
public final class VendorHttp {

    /** Status, Retry-After header (or null) and body text of an answer. */
    public record Answer(int status, String retryAfter, String body) {
    }

    private VendorHttp() {
    }

    public static Answer exchange(MeterRegistry meters, String vendor, String operation, boolean write,
                                  RestClient.RequestHeadersSpec<?> request) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            Answer answer = request.exchange((req, res) -> new Answer(res.getStatusCode().value(),
                    res.getHeaders().getFirst(HttpHeaders.RETRY_AFTER),
                    new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8)));
            outcome = String.valueOf(answer.status());
            return answer;
        } catch (ResourceAccessException e) {
            outcome = "io";
            String message = ("shiphero".equals(vendor) ? "ShipHero " : "Loop ") + operation
                    + " unreachable or timed out: " + e.getMostSpecificCause().getClass().getSimpleName();
            throw write ? VendorException.uncertain(message, e) : VendorException.transientFailure(message, e);
        } finally {
            sample.stop(meters.timer("returnbridge.vendor.calls", "vendor", vendor, "operation", operation,
                    "outcome", outcome));
        }
    }
}
