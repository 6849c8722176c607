package com.returnbridge.reliability;

import static com.returnbridge.support.Processes.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.support.ExactlyOnce;
import com.returnbridge.support.ExactlyOnce.Plan;
import com.returnbridge.support.Processes;
import com.returnbridge.support.Timing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packaged service as its own process, the simulated vendors in another, over HTTP. While a backlog of 100
 * returns is in flight the service is killed with SIGKILL five times and restarted: at random moments, once while
 * ShipHero's return_create has executed but not yet answered (so the RMA exists and our commit never happens), and
 * once while Loop's Process has executed but not answered. Webhooks sent while it is down are retried by the
 * sandbox and then lost; reconciliation finds them. The outcome must still be exactly once.
 */
class CrashIT {

    private static final Logger log = LoggerFactory.getLogger(CrashIT.class);
    private static final int RETURNS = 100;
    private static final int RANDOM_KILLS = 3;
    /** Returns the warehouse leaves unreceived until the last kill, so a Loop Process is still to come then. */
    private static final int HELD_BACK = 20;

    @Test
    void sigkillAtRandomMomentsAndInsideVendorWritesLosesNothingAndRepeatsNothing() throws Exception {
        Path dir = Files.createTempDirectory("returnbridge-crash");
        Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
        int sandboxPort = Processes.freePort();
        int servicePort = Processes.freePort();
        String sandbox = "http://127.0.0.1:" + sandboxPort + "/sandbox/control";
        List<String> serviceArgs = new ArrayList<>(Processes.connectionTo(sandboxPort));
        serviceArgs.addAll(Processes.fastJobs());
        // A plain file URL, as an operator would write it: the service makes it durable by itself.
        serviceArgs.add("--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
        int kills = 0;
        try (Processes processes = new Processes(dir)) {
            Process vendors = processes.start("sandbox", sandboxPort, List.of("--returnbridge.sandbox.enabled=true",
                    "--returnbridge.sandbox.webhook-target=http://127.0.0.1:" + servicePort,
                    "--spring.datasource.url=jdbc:h2:mem:sb"));
            Process service = processes.start("service-0", servicePort, serviceArgs);
            Processes.awaitUp(vendors, sandboxPort);
            Processes.awaitUp(service, servicePort);

            // Armed before the backlog exists, so the first return_create is held however fast the service is.
            call("POST", sandbox + "/faults", Map.of("vendor", "shiphero", "operation", "return_create",
                    "kind", "SLOW_AFTER_EXECUTE", "times", 1, "delayMillis", 60_000));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> created = (List<Map<String, Object>>) call("POST", sandbox + "/returns",
                    Map.of("count", RETURNS, "items", List.of(Map.of("sku", "TEE-BLK-M", "count", 2))));
            Map<Long, Plan> plans = new LinkedHashMap<>();
            for (int i = 0; i < created.size(); i++) {
                plans.put(((Number) created.get(i).get("loopReturnId")).longValue(), Plan.forIndex(i));
            }
            Set<Long> received = new LinkedHashSet<>();

            // 1. Inside return_create: ShipHero has created the RMA and holds the answer; we die before our commit.
            awaitFaultApplied(sandboxPort, "shiphero", 1);
            Timing.holdFor(Duration.ofMillis(500), "the held return_create stays held: the kill must land inside it");
            Processes.kill(service);
            kills++;
            call("DELETE", sandbox + "/faults", null);
            service = restart(processes, servicePort, serviceArgs, kills);

            // 2. Random moments while RMAs are created and the warehouse receives.
            for (int k = 0; k < RANDOM_KILLS; k++) {
                long until = System.currentTimeMillis() + 1500 + random.nextInt(5000);
                while (System.currentTimeMillis() < until) {
                    receiveReady(sandbox, sandboxPort, plans, received, plans.size() - HELD_BACK);
                    Timing.holdFor(Duration.ofMillis(300), "the random kill moment has not come; the warehouse works on");
                }
                Processes.kill(service);
                kills++;
                service = restart(processes, servicePort, serviceArgs, kills);
            }

            // 3. Inside Loop's Process: Loop has processed the return and holds the answer; we die before our commit.
            call("POST", sandbox + "/faults", Map.of("vendor", "loop", "operation", "process",
                    "kind", "SLOW_AFTER_EXECUTE", "times", 1, "delayMillis", 60_000));
            Timing.driveUntil(Duration.ofMinutes(2), Duration.ofMillis(200), () -> {
                if (loopFaults(sandboxPort) >= 1) {
                    return true;
                }
                receiveReady(sandbox, sandboxPort, plans, received, plans.size());
                return false;
            });
            assertThat(loopFaults(sandboxPort)).as("a Loop Process was held when the service was killed").isPositive();
            Timing.holdFor(Duration.ofMillis(500), "the held Process stays held: the kill must land inside it");
            Processes.kill(service);
            kills++;
            call("DELETE", sandbox + "/faults", null);
            service = restart(processes, servicePort, serviceArgs, kills);

            // The rest of the backlog, with no more kills.
            Timing.driveUntil(Duration.ofMinutes(4), Duration.ofSeconds(2), () -> {
                receiveReady(sandbox, sandboxPort, plans, received, plans.size());
                Map<Long, String> states = Processes.linkStates(servicePort);
                return ExactlyOnce.problems(Processes.summary(sandboxPort), plans,
                        id -> states.getOrDefault(id, "none")).isEmpty() && received.size() == plans.size();
            });
            Timing.holdFor(Duration.ofSeconds(6), "one more sweep: nothing may move after the outcome is reached");
            Map<String, Object> summary = Processes.summary(sandboxPort);
            Map<Long, String> states = Processes.linkStates(servicePort);
            List<String> problems = ExactlyOnce.problems(summary, plans, id -> states.getOrDefault(id, "none"));
            log.warn("crash run: {} returns, {} SIGKILLs, duplicates {}, problems {}, webhooks {}", RETURNS, kills,
                    ExactlyOnce.duplicates(summary), problems.size(), summary.get("webhooks"));
            assertThat(kills).isGreaterThanOrEqualTo(5);
            assertThat(problems).isEmpty();
            assertThat(ExactlyOnce.duplicates(summary)).isZero();
        }
    }

    private static Process restart(Processes processes, int port, List<String> args, int n) {
        Process p = processes.start("service-" + n, port, args);
        Processes.awaitUp(p, port);
        return p;
    }

    /** The warehouse receives every return whose RMA exists in ShipHero and that it has not received yet. */
    @SuppressWarnings("unchecked")
    static void receiveReady(String sandbox, int sandboxPort, Map<Long, Plan> plans, Set<Long> received,
                             int upTo) {
        Map<String, Object> rmas = (Map<String, Object>) Processes.summary(sandboxPort).get("rmas_per_return");
        int index = 0;
        for (Map.Entry<Long, Plan> e : plans.entrySet()) {
            if (index++ >= upTo) {
                break;
            }
            if (!received.contains(e.getKey()) && rmas.containsKey(String.valueOf(e.getKey()))) {
                call("POST", sandbox + "/returns/" + e.getKey() + "/receive",
                        Map.of("status", e.getValue().status, "received", e.getValue().received));
                received.add(e.getKey());
            }
        }
    }

    @SuppressWarnings("unchecked")
    static long loopFaults(int sandboxPort) {
        Map<String, Object> stats = (Map<String, Object>) Processes.summary(sandboxPort).get("loop_stats");
        Map<String, Object> faults = (Map<String, Object>) stats.get("faults");
        return faults.values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
    }

    @SuppressWarnings("unchecked")
    static void awaitFaultApplied(int sandboxPort, String vendor, long count) {
        boolean reached = Timing.driveUntil(Duration.ofMinutes(2), Duration.ofMillis(100), () -> ((Number)
                ((Map<String, Object>) Processes.summary(sandboxPort).get("shiphero_stats")).get("faultsApplied"))
                .longValue() >= count);
        if (!reached) {
            throw new IllegalStateException("the " + vendor + " fault was never reached");
        }
    }
}
