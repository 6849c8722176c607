package com.returnbridge.intake;

import com.returnbridge.connection.Connection;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The two webhook endpoints. Order of checks: the connection (its secret is needed), the size, the signature over
 * the raw bytes. Nothing is stored unless all three pass; a delivery that passes is stored and answered 2xx whatever
 * its content (one we cannot read as UNREADABLE), since Loop never retries a 4xx and ShipHero counts every non-2xx
 * toward disabling the webhook.
 */
@RestController
@RequestMapping(produces = MediaType.APPLICATION_JSON_VALUE)
public class WebhookController {

    /** Larger bodies are refused with 413 before being read in full. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /** ShipHero's documented acknowledgement, keys in its order. */
    private static final Map<String, String> SHIPHERO_OK;

    static {
        Map<String, String> ok = new java.util.LinkedHashMap<>();
        ok.put("code", "200");
        ok.put("Status", "Success");
        SHIPHERO_OK = java.util.Collections.unmodifiableMap(ok);
    }

    private final IntakeService intake;
    private final Rejections rejections;

    public WebhookController(IntakeService intake, Rejections rejections) {
        this.intake = intake;
        this.rejections = rejections;
    }

    @RequestMapping(path = "/webhooks/loop/{connectionId}", method = RequestMethod.POST)
    public ResponseEntity<Map<String, String>> loop(@PathVariable String connectionId, HttpServletRequest request)
            throws IOException {
        Connection connection = rejections.connection(connectionId, Deliveries.Source.LOOP);
        byte[] body = readBody(request, connectionId, Deliveries.Source.LOOP);
        String signature = singleHeader(request, "X-Loop-Signature", connectionId, Deliveries.Source.LOOP);
        IntakeService.Outcome outcome = intake.acceptLoop(connection, body, signature);
        return ResponseEntity.ok(Map.of("status", outcome.name().toLowerCase()));
    }

    @RequestMapping(path = "/webhooks/shiphero/{connectionId}", method = RequestMethod.POST)
    public ResponseEntity<Map<String, String>> shiphero(@PathVariable String connectionId, HttpServletRequest request)
            throws IOException {
        Connection connection = rejections.connection(connectionId, Deliveries.Source.SHIPHERO);
        byte[] body = readBody(request, connectionId, Deliveries.Source.SHIPHERO);
        String signature = singleHeader(request, "x-shiphero-hmac-sha256", connectionId, Deliveries.Source.SHIPHERO);
        intake.acceptShipHero(connection, body, signature, request.getHeader("X-Shiphero-Message-ID"));
        return ResponseEntity.ok(SHIPHERO_OK);
    }

    /** ShipHero may probe the URL before sending. */
    @RequestMapping(path = "/webhooks/shiphero/{connectionId}", method = {RequestMethod.GET, RequestMethod.HEAD})
    public ResponseEntity<Map<String, String>> shipheroProbe(@PathVariable String connectionId) {
        rejections.connection(connectionId, Deliveries.Source.SHIPHERO);
        return ResponseEntity.ok(SHIPHERO_OK);
    }

    @ExceptionHandler(IntakeRejection.class)
    public ResponseEntity<Map<String, String>> rejected(IntakeRejection rejection) {
        return ResponseEntity.status(rejection.status()).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", rejection.getMessage()));
    }

    private byte[] readBody(HttpServletRequest request, String connectionId, Deliveries.Source source)
            throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw tooLarge(connectionId, source);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw tooLarge(connectionId, source);
        }
        return body;
    }

    private IntakeRejection tooLarge(String connectionId, Deliveries.Source source) {
        return rejections.reject(source, connectionId, new IntakeRejection(HttpStatus.PAYLOAD_TOO_LARGE, "too_large",
                "body larger than " + MAX_BODY_BYTES + " bytes"));
    }

    /** Two signatures on one request is an attack or a broken proxy, never something to pick from. */
    private String singleHeader(HttpServletRequest request, String name, String connectionId,
                                Deliveries.Source source) {
        var values = java.util.Collections.list(request.getHeaders(name));
        if (values.size() > 1) {
            throw rejections.reject(source, connectionId, new IntakeRejection(HttpStatus.UNAUTHORIZED, "bad_signature",
                    "more than one " + name + " header"));
        }
        return values.isEmpty() ? null : values.get(0);
    }
}
