package com.returnbridge.sandbox;

import com.returnbridge.sandbox.loop.NewReturn;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The demo's two buttons, for curl: a shopper starts a return; the warehouse receives it and sets a status. */
@RestController
@RequestMapping("/sandbox/demo")
@ConditionalOnSandbox
public class SandboxDemoController {

    private final SandboxDemo demo;

    public SandboxDemoController(SandboxDemo demo) {
        this.demo = demo;
    }

    @PostMapping("/returns")
    public SandboxDemo.DemoReturn create(@RequestParam(defaultValue = "sandbox") String connection,
                                         @RequestParam(defaultValue = "TEE-BLK-M") List<String> sku,
                                         @RequestParam(defaultValue = "1") int units,
                                         @RequestParam(required = false) String tracking,
                                         @RequestParam(required = false) List<String> outcome) {
        Map<String, NewReturn.Outcome> outcomes = new java.util.HashMap<>();
        for (String o : outcome == null ? List.<String>of() : outcome) {
            int colon = o.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("outcome: '" + o + "' is not SKU:refund|store_credit|exchange");
            }
            try {
                outcomes.put(o.substring(0, colon).trim(), NewReturn.Outcome.valueOf(
                        o.substring(colon + 1).trim().toUpperCase(java.util.Locale.ROOT).replace(' ', '_')));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("outcome: '" + o + "' is not SKU:refund|store_credit|exchange");
            }
        }
        return demo.createReturn(connection, sku.stream().map(s -> new SandboxDemo.DemoItem(s, units,
                outcomes.getOrDefault(s, NewReturn.Outcome.REFUND))).toList(), tracking);
    }

    @PostMapping("/returns/{loopReturnId}/warehouse")
    public Map<String, Object> warehouse(@PathVariable long loopReturnId,
                                         @RequestParam(defaultValue = "Warehouse Complete") String status,
                                         @RequestParam(defaultValue = "all") String received,
                                         @RequestParam(required = false) String condition) {
        var rma = demo.receive(loopReturnId, status, received, condition);
        return Map.of("rma_id", rma.id(), "rma_number", rma.legacyId(), "status", rma.status(),
                "items_expected", rma.totalItemsExpected(), "items_received", rma.totalItemsReceived());
    }

    /**
     * The carrier moves the parcel: Loop sends {@code label.updated} with this label status ({@code delivered}:
     * the parcel reached the warehouse, which starts the return's SLA clock).
     */
    @PostMapping("/returns/{loopReturnId}/carrier")
    public Map<String, Object> carrier(@PathVariable long loopReturnId,
                                       @RequestParam(defaultValue = "delivered") String status) {
        demo.carrier(loopReturnId, status);
        return Map.of("loopReturnId", loopReturnId, "label_status", status);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<Map<String, String>> badInput(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(IllegalStateException.class)
    public ResponseEntity<Map<String, String>> notYet(IllegalStateException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }
}
