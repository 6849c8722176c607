package com.returnbridge.vendor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * One HTTP exchange with a vendor, the same way for every client: timed in {@code returnbridge.vendor.calls}
 * (vendor, operation, outcome), written to the vendor call log (the return page shows it), the answer read whatever
 * its status (vendors put errors in 200s and bodies in 4xx), and a lost connection or timeout turned into a
 * transient failure — an uncertain one for a write, since the vendor may have acted after we stopped listening.
 */
@Component
public class VendorHttp {

    /** Status, Retry-After header (or null) and body text of an answer. */
    public record Answer(int status, String retryAfter, String body) {
    }

    /**
     * What is about to be sent, for the metrics and the call log. {@code sent} is the request body (a String or an
     * object Jackson can write; null for none); the log redacts secrets in it. Headers are never logged: they carry
     * the credentials.
     */
    public record Call(String connectionId, String vendor, String operation, boolean write, String method,
                       String url, Object sent) {
    }

    private final MeterRegistry meters;
    private final VendorCallLog log;

    public VendorHttp(MeterRegistry meters, VendorCallLog log) {
        this.meters = meters;
        this.log = log;
    }

    public Answer exchange(Call call, RestClient.RequestHeadersSpec<?> request) {
        Timer.Sample sample = Timer.start(meters);
        long started = System.nanoTime();
        String outcome = "error";
        Answer answer = null;
        String failure = null;
        try {
            answer = request.exchange((req, res) -> new Answer(res.getStatusCode().value(),
                    res.getHeaders().getFirst(HttpHeaders.RETRY_AFTER),
                    new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8)));
            outcome = String.valueOf(answer.status());
            return answer;
        } catch (ResourceAccessException e) {
            outcome = "io";
            String cause = e.getMostSpecificCause().getClass().getSimpleName();
            failure = "no answer: " + cause + (call.write() ? " (the vendor may still have acted)" : "");
            String message = ("shiphero".equals(call.vendor()) ? "ShipHero " : "Loop ") + call.operation()
                    + " unreachable or timed out: " + cause;
            throw call.write() ? VendorException.uncertain(message, e) : VendorException.transientFailure(message, e);
        } catch (RuntimeException e) {
            failure = "failed before an answer: " + e.getClass().getSimpleName();
            throw e;
        } finally {
            sample.stop(meters.timer("returnbridge.vendor.calls", "vendor", call.vendor(), "operation",
                    call.operation(), "outcome", outcome));
            log.record(call, answer, failure,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }
}
