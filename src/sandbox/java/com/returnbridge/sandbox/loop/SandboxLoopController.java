package com.returnbridge.sandbox.loop;

import com.returnbridge.sandbox.ConditionalOnSandbox;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The simulated {@code https://api.loopreturns.com/api/v1} (the dated aliases too). Pure HTTP translation:
 * bodies go out as raw bytes so that {@code "true"} stays exactly six bytes, whatever message converters the
 * application configures.
 */
@RestController
@ConditionalOnSandbox
@RequestMapping({"/sandbox/loop/api/v1", "/sandbox/loop/api/2026-07", "/sandbox/loop/api/2026-10"})
public class SandboxLoopController {

    private static final String KEY = "X-Authorization";
    private static final String RETURN = "/warehouse/return/{id:\\d{1,18}}";

    private final SandboxLoopApi api;

    public SandboxLoopController(SandboxLoop loop) {
        this.api = new SandboxLoopApi(loop);
    }

    @GetMapping("/warehouse/return/details")
    public ResponseEntity<byte[]> details(@RequestHeader(name = KEY, required = false) String key,
            @RequestParam(name = "return_id", required = false) String returnId,
            @RequestParam(name = "order_id", required = false) String orderId,
            @RequestParam(name = "order_name", required = false) String orderName) {
        return http(api.details(key, returnId, orderId, orderName));
    }

    @GetMapping("/warehouse/return/list")
    public ResponseEntity<byte[]> list(@RequestHeader(name = KEY, required = false) String key,
            @RequestParam MultiValueMap<String, String> params, HttpServletRequest request) {
        String query = request.getQueryString();
        String url = request.getRequestURL() + (query == null ? "" : "?" + query);
        return http(api.list(key, params, url));
    }

    @PostMapping(RETURN + "/process")
    public ResponseEntity<byte[]> process(@RequestHeader(name = KEY, required = false) String key,
            @PathVariable("id") long id, @RequestBody(required = false) String body) {
        return http(api.process(key, id, body));
    }

    @PostMapping(RETURN + "/flag")
    public ResponseEntity<byte[]> flag(@RequestHeader(name = KEY, required = false) String key,
            @PathVariable("id") long id) {
        return http(api.flag(key, id));
    }

    @PostMapping(RETURN + "/note")
    public ResponseEntity<byte[]> note(@RequestHeader(name = KEY, required = false) String key,
            @PathVariable("id") long id, @RequestBody(required = false) String body) {
        return http(api.note(key, id, body));
    }

    @PostMapping(RETURN + "/remove")
    public ResponseEntity<byte[]> remove(@RequestHeader(name = KEY, required = false) String key,
            @PathVariable("id") long id,
            @org.springframework.web.bind.annotation.RequestParam(name = "line_item_id", required = false) String ids) {
        return http(api.remove(key, id, ids));
    }

    @GetMapping(RETURN + "/notes")
    public ResponseEntity<byte[]> notes(@RequestHeader(name = KEY, required = false) String key,
            @PathVariable("id") long id) {
        return http(api.notes(key, id));
    }

    @PostMapping(RETURN + "/close")
    public ResponseEntity<byte[]> close(@RequestHeader(name = KEY, required = false) String key,
            @PathVariable("id") long id) {
        return http(api.close(key, id));
    }

    @PostMapping(RETURN + "/cancel")
    public ResponseEntity<byte[]> cancel(@RequestHeader(name = KEY, required = false) String key,
            @PathVariable("id") long id) {
        return http(api.cancel(key, id));
    }

    @PostMapping("/dispositioning/grade")
    public ResponseEntity<byte[]> grade(@RequestHeader(name = KEY, required = false) String key,
            @RequestBody(required = false) String body) {
        return http(api.grade(key, body));
    }

    @PostMapping("/dispositioning/assess")
    public ResponseEntity<byte[]> assess(@RequestHeader(name = KEY, required = false) String key,
            @RequestBody(required = false) String body) {
        return http(api.assess(key, body));
    }

    @GetMapping("/webhooks")
    public ResponseEntity<byte[]> listWebhooks(@RequestHeader(name = KEY, required = false) String key) {
        return http(api.listWebhooks(key));
    }

    @PostMapping("/webhooks")
    public ResponseEntity<byte[]> createWebhook(@RequestHeader(name = KEY, required = false) String key,
            @RequestBody(required = false) String body) {
        return http(api.createWebhook(key, body));
    }

    @PutMapping("/webhooks/{id:\\d{1,18}}")
    public ResponseEntity<byte[]> updateWebhook(@RequestHeader(name = KEY, required = false) String key,
            @PathVariable("id") long id, @RequestBody(required = false) String body) {
        return http(api.updateWebhook(key, id, body));
    }

    @DeleteMapping("/webhooks/{id:\\d{1,18}}")
    public ResponseEntity<byte[]> deleteWebhook(@RequestHeader(name = KEY, required = false) String key,
            @PathVariable("id") long id) {
        return http(api.deleteWebhook(key, id));
    }

    static ResponseEntity<byte[]> http(LoopAnswer answer) {
        if (answer.body() == null) {
            return ResponseEntity.status(answer.status()).build();
        }
        return ResponseEntity.status(answer.status())
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer.body().getBytes(StandardCharsets.UTF_8));
    }
}
