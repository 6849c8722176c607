package com.returnbridge.sandbox;

import com.returnbridge.sandbox.loop.ActionCall;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Drives the simulators from another process (the crash and multi-instance tests, the benchmark): play shopper
 * and warehouse, inject faults, and read back what the vendors saw — RMAs per Loop return, Loop actions per return.
 */
@RestController
@RequestMapping("/sandbox/control")
@ConditionalOnSandbox
public class SandboxControlController {

    public record NewReturns(String customerAccountId, List<SandboxDemo.DemoItem> items, String tracking,
                             Boolean knownToShipHero, Integer count) {
    }

    public record Receipt(String status, String received) {
    }

    public record FaultSpec(String vendor, String operation, String kind, int times, Long delayMillis,
                            String message) {
    }

    public record DeliveryFaults(String vendor, double dropRate, int minCopies, int maxCopies, Long maxDelayMillis) {
    }

    /** A share of an operation's calls ("*": every operation of the vendor) gets the fault, until DELETE /faults. */
    public record FaultRate(String vendor, String operation, String kind, double rate, Long delayMillis,
                            String message) {
    }

    public record Credits(Integer bucketSize, Double refillPerSecond, Boolean enabled) {
    }

    public record Latency(long millis) {
    }

    public record LoopRateLimit(int perMinute) {
    }

    /**
     * Where Loop's documents disagree, which variant the simulated Loop plays; a field left out keeps its setting.
     * {@code successBody}: STRING ("true") or BOOLEAN (true); {@code webhookCreateStatus}: 201 or 200;
     * {@code processingWebhooks}: false closes processed returns without return.updated / return.closed.
     */
    public record LoopVariants(String successBody, Integer webhookCreateStatus, Boolean processingWebhooks,
                               Long processingDelayMillis) {
    }

    /** Where ShipHero's documents are silent, which variant the simulated ShipHero plays; null keeps the setting. */
    public record ShipHeroVariants(Boolean returnChangesTouchOrder) {
    }

    private final SandboxDemo demo;
    private final SandboxLoop loop;
    private final SandboxShipHero shiphero;
    private final SandboxWebhookSender loopWebhooks;
    private final SandboxWebhookSender shipheroWebhooks;
    private final SandboxLatency latency;

    public SandboxControlController(SandboxDemo demo, SandboxLoop loop, SandboxShipHero shiphero,
                                    @Qualifier("sandboxLoopWebhooks") SandboxWebhookSender loopWebhooks,
                                    @Qualifier("sandboxShipHeroWebhooks") SandboxWebhookSender shipheroWebhooks,
                                    SandboxLatency latency) {
        this.demo = demo;
        this.loop = loop;
        this.shiphero = shiphero;
        this.loopWebhooks = loopWebhooks;
        this.shipheroWebhooks = shipheroWebhooks;
        this.latency = latency;
    }

    @PostMapping("/returns")
    public List<SandboxDemo.DemoReturn> createReturns(@RequestBody NewReturns spec) {
        int count = spec.count() == null ? 1 : Math.max(1, Math.min(spec.count(), 10_000));
        List<SandboxDemo.DemoItem> items = spec.items() == null || spec.items().isEmpty()
                ? List.of(new SandboxDemo.DemoItem("TEE-BLK-M", 1)) : spec.items();
        boolean known = spec.knownToShipHero() == null || spec.knownToShipHero();
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> demo.createReturnFor(spec.customerAccountId(), items, spec.tracking(), known)).toList();
    }

    @PostMapping("/returns/{loopReturnId}/receive")
    public Map<String, Object> receive(@PathVariable long loopReturnId, @RequestBody Receipt receipt) {
        var rma = demo.receive(loopReturnId, receipt.status(), receipt.received());
        return Map.of("rma_id", rma.id(), "status", rma.status(), "items_received", rma.totalItemsReceived());
    }

    @PostMapping("/faults")
    public Map<String, String> fault(@RequestBody FaultSpec spec) {
        SandboxFaults.Kind kind = SandboxFaults.Kind.valueOf(spec.kind().toUpperCase(Locale.ROOT));
        Duration delay = Duration.ofMillis(spec.delayMillis() == null ? 0 : spec.delayMillis());
        SandboxFaults faults = "loop".equalsIgnoreCase(spec.vendor()) ? loop.faults() : shiphero.faults();
        faults.inject(spec.operation(), new SandboxFaults.Fault(kind, delay, spec.message()), Math.max(1, spec.times()));
        return Map.of("status", "injected");
    }

    @DeleteMapping("/faults")
    public Map<String, String> clearFaults() {
        loop.faults().clear();
        shiphero.faults().clear();
        loopWebhooks.clearDeliveryFaults();
        shipheroWebhooks.clearDeliveryFaults();
        return Map.of("status", "cleared");
    }

    @PostMapping("/delivery-faults")
    public Map<String, String> deliveryFaults(@RequestBody DeliveryFaults spec) {
        SandboxWebhookSender sender = "loop".equalsIgnoreCase(spec.vendor()) ? loopWebhooks : shipheroWebhooks;
        sender.deliveryFaults(spec.dropRate(), spec.minCopies(), spec.maxCopies());
        sender.reorder(Duration.ofMillis(spec.maxDelayMillis() == null ? 0 : spec.maxDelayMillis()));
        return Map.of("status", "set");
    }

    @PostMapping("/fault-rates")
    public Map<String, String> faultRate(@RequestBody FaultRate spec) {
        SandboxFaults.Kind kind = SandboxFaults.Kind.valueOf(spec.kind().toUpperCase(Locale.ROOT));
        Duration delay = Duration.ofMillis(spec.delayMillis() == null ? 0 : spec.delayMillis());
        SandboxFaults faults = "loop".equalsIgnoreCase(spec.vendor()) ? loop.faults() : shiphero.faults();
        faults.rate(spec.operation() == null ? "*" : spec.operation(),
                new SandboxFaults.Fault(kind, delay, spec.message()), spec.rate());
        return Map.of("status", "set");
    }

    @PostMapping("/credits")
    public Map<String, Object> credits(@RequestBody Credits spec) {
        if (Boolean.FALSE.equals(spec.enabled())) {
            shiphero.disableCreditModel();
        } else {
            shiphero.setCreditModel(new SandboxShipHero.CreditModel(spec.bucketSize(), spec.refillPerSecond()));
        }
        return Map.of("status", "set");
    }

    /** Loop's requests per minute per API key (300 by default, as Loop documents; 0 switches it off). */
    @PostMapping("/loop-rate-limit")
    public Map<String, Object> loopRateLimit(@RequestBody LoopRateLimit spec) {
        loop.setRateLimitPerMinute(spec.perMinute());
        return Map.of("per_minute", spec.perMinute());
    }

    @PostMapping("/shiphero-variants")
    public Map<String, Object> shipHeroVariants(@RequestBody ShipHeroVariants spec) {
        if (spec.returnChangesTouchOrder() != null) {
            shiphero.setReturnChangesTouchOrder(spec.returnChangesTouchOrder());
        }
        return Map.of("returnChangesTouchOrder", shiphero.returnChangesTouchOrder());
    }

    @PostMapping("/loop-variants")
    public Map<String, String> loopVariants(@RequestBody LoopVariants spec) {
        SandboxLoop.SuccessBody body = null;
        if (spec.successBody() != null) {
            try {
                body = SandboxLoop.SuccessBody.valueOf(spec.successBody().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new org.springframework.web.server.ResponseStatusException(
                        org.springframework.http.HttpStatus.BAD_REQUEST, "successBody must be STRING or BOOLEAN");
            }
        }
        Integer status = spec.webhookCreateStatus();
        if (status != null && (status < 200 || status > 299)) {
            throw new org.springframework.web.server.ResponseStatusException(
                    org.springframework.http.HttpStatus.BAD_REQUEST, "webhookCreateStatus must be a 2xx (201 or 200)");
        }
        if (body != null) {
            loop.setSuccessBody(body);
        }
        if (status != null) {
            loop.setWebhookCreateStatus(status);
        }
        if (spec.processingWebhooks() != null) {
            loop.setProcessingWebhooks(spec.processingWebhooks());
        }
        if (spec.processingDelayMillis() != null) {
            loop.setProcessingDelay(Duration.ofMillis(Math.max(0, spec.processingDelayMillis())));
        }
        return Map.of("status", "set");
    }

    /**
     * The simulated Loop's grading and restock switches; a field left out keeps its setting. {@code restocksInLoop}:
     * the merchant restocks in Loop, so a processed return fires restock.requested; {@code refuseGrading}: the grading
     * endpoints answer 422 with this message (blank: they work); {@code gradeLimit}: 20 (Loop's guide) or 30 (OpenAPI).
     */
    public record LoopGrading(Boolean restocksInLoop, String refuseGrading, Integer gradeLimit) {
    }

    @PostMapping("/loop-grading")
    public Map<String, String> loopGrading(@RequestBody LoopGrading spec) {
        if (spec.gradeLimit() != null && spec.gradeLimit() != 20 && spec.gradeLimit() != 30) {
            throw new org.springframework.web.server.ResponseStatusException(
                    org.springframework.http.HttpStatus.BAD_REQUEST, "gradeLimit must be 20 or 30");
        }
        if (spec.restocksInLoop() != null) {
            loop.setRestocksInLoop(spec.restocksInLoop());
        }
        if (spec.refuseGrading() != null) {
            loop.dispositioning().refuseWith(spec.refuseGrading().isBlank() ? null : spec.refuseGrading());
        }
        if (spec.gradeLimit() != null) {
            loop.dispositioning().setGradeLimit(spec.gradeLimit());
        }
        return Map.of("status", "set");
    }

    @PostMapping("/latency")
    public Map<String, Object> latency(@RequestBody Latency spec) {
        latency.set(Duration.ofMillis(spec.millis()));
        return Map.of("latency_ms", spec.millis());
    }

    @PostMapping("/stats/reset")
    public Map<String, String> resetStats() {
        loop.resetStats();
        shiphero.resetStats();
        return Map.of("status", "reset");
    }

    /** What the vendors saw, per Loop return: how many RMAs carry its id and which Loop actions took effect. */
    @GetMapping("/summary")
    public Map<String, Object> summary() {
        Map<String, Integer> rmasPerReturn = new TreeMap<>();
        Map<String, String> rmaStatus = new TreeMap<>();
        Map<String, List<String>> rmaStatusHistory = new TreeMap<>();
        for (SandboxShipHero.ReturnView rma : shiphero.returns()) {
            if (rma.partnerId() != null) {
                rmasPerReturn.merge(rma.partnerId(), 1, Integer::sum);
                rmaStatus.put(rma.partnerId(), rma.status());
                rmaStatusHistory.put(rma.partnerId(), rma.statusHistory());
            }
        }
        Map<String, List<String>> actions = new TreeMap<>();
        for (ActionCall call : loop.allActions()) {
            if (call.performed()) {
                actions.computeIfAbsent(String.valueOf(call.returnId()), k -> new java.util.ArrayList<>())
                        .add(call.action());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("loop_returns", loop.returns().size());
        out.put("rmas", shiphero.returns().size());
        out.put("rmas_per_return", rmasPerReturn);
        out.put("rma_status", rmaStatus);
        out.put("rma_status_history", rmaStatusHistory);
        out.put("loop_actions", actions);
        out.put("loop_states", loop.returns().stream().collect(java.util.stream.Collectors.toMap(
                r -> String.valueOf(r.id()), r -> r.state(), (a, b) -> b, TreeMap::new)));
        out.put("shiphero_stats", shiphero.stats());
        out.put("loop_stats", loop.stats());
        out.put("webhooks", Map.of("loop_sent", loopWebhooks.sentCount(), "loop_dropped", loopWebhooks.droppedCount(),
                "shiphero_sent", shipheroWebhooks.sentCount(), "shiphero_dropped", shipheroWebhooks.droppedCount()));
        return out;
    }
}
