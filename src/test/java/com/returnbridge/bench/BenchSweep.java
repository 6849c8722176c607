package com.returnbridge.bench;

import com.returnbridge.ReturnbridgeApplication;
import com.returnbridge.bridge.Decision;
import com.returnbridge.bridge.WarehouseApi;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.reconcile.Reconciler;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The benchmark's sweep phase (issue 11 §3): ShipHero credits and wall time of one ordinary sweep with 100, 1,000 and
 * 10,000 RMAs waiting, created evenly over 60 days, 1% of them changed since the last sweep, against the credits to
 * read just the changed ones by id (GetReturn's cost as the simulator charges it, {@link Bench#probeDocumentCosts}).
 *
 * <p>Seeded directly, not through 10,000 lifecycles: per size, the service starts in this JVM with its simulators
 * (H2 in memory, the scheduled sweep hours apart, the simulator's credit model and the service's budget made large
 * enough that the setting-up full pass is not throttled; credits are still counted), {@link SandboxShipHero#seedReturn} puts one order and its RMA per return into the simulated
 * ShipHero at its creation time, and one batch insert puts the waiting links into the database with the decision a
 * Pending RMA gets (as if the first re-read had run). A full pass sets the watermarks (its credits and time are
 * reported too); then, with ShipHero's webhooks dropped and the simulator playing "a return change touches its
 * order", 1% of the RMAs move to status RTS (a new decision that acts only in ShipHero's terms: ignore), and one
 * ordinary sweep is measured. Its credits are those of its own reads ({@code orders}, {@code returns}); the re-reads
 * by id of the jobs it starts are the same as a webhook would start, and not counted. Defaults apply: full-pass-after
 * PT12H, so about 1/120 of the waiting RMAs are young and read in full by every sweep.
 */
final class BenchSweep {

    static final int CHANGED_PER_HUNDRED = 1;
    private static final Duration SPREAD = Duration.ofDays(60);

    private BenchSweep() {
    }

    /** Sizes for the run: {@code -Dbench.quick} takes 100 and 1,000, the full run adds 10,000 (about 2 minutes). */
    static List<Integer> sizes(boolean quick) {
        return quick ? List.of(100, 1_000) : List.of(100, 1_000, 10_000);
    }

    /** The smoke run (no start-up rounds, part of {@code mvn verify}) takes 100 only. */
    static List<Integer> sizes(Bench.Config config) {
        return config.startupRounds() == 0 ? List.of(100) : sizes(Boolean.getBoolean("bench.quick"));
    }

    /** The phase's lines under the results table. */
    static void table(Map<String, Object> results, StringBuilder t) {
        if (!results.containsKey("sweep_get_return_credits")) {
            return;
        }
        t.append("\nShipHero sweep, 1% of the waiting RMAs changed (credits of one ordinary sweep / reading the changed"
                + " ones by id at ").append(results.get("sweep_get_return_credits")).append(" each; time; full pass):\n");
        for (int n : List.of(100, 1_000, 10_000)) {
            if (results.containsKey("sweep_credits_" + n)) {
                t.append("- ").append(n).append(" waiting: ").append(results.get("sweep_credits_" + n)).append(" / ")
                        .append(results.get("sweep_changed_" + n) instanceof Number c ? c.longValue()
                                * ((Number) results.get("sweep_get_return_credits")).longValue() : "?")
                        .append(" = **").append(results.get("sweep_credits_ratio_" + n)).append("**, ")
                        .append(results.get("sweep_ms_" + n)).append(" ms; full pass ")
                        .append(results.get("sweep_full_credits_" + n)).append(" credits, ")
                        .append(results.get("sweep_full_ms_" + n)).append(" ms\n");
            }
        }
        t.append("sweep_credits_10k_ratio: **").append(results.get("sweep_credits_10k_ratio"))
                .append("** (target ≤ 2)\n");
    }

    /** Every size in its own service; keys {@code sweep_credits_<n>}, {@code sweep_ms_<n>}, … and the ratio. */
    static Map<String, Object> run(List<Integer> sizes) throws Exception {
        long getReturn = Bench.probeDocumentCosts().get("GetReturn");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sweep_get_return_credits", getReturn);
        for (int n : sizes) {
            measure(n, getReturn, r);
        }
        r.put("sweep_credits_10k_ratio", r.getOrDefault("sweep_credits_ratio_10000", Double.NaN));
        return r;
    }

    private static void measure(int n, long getReturn, Map<String, Object> r) throws InterruptedException {
        String db = "jdbc:h2:mem:bench-sweep-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ReturnbridgeApplication.class)
                .run("--server.port=0", "--spring.datasource.url=" + db, "--returnbridge.sandbox.enabled=true",
                        "--returnbridge.admin.password=" + Bench.ADMIN_PASSWORD,
                        "--returnbridge.reconcile.interval=PT100H", "--logging.level.root=WARN",
                        // credits are counted, not waited for: the seeding full pass of 10,000 would take 11 minutes
                        "--returnbridge.shiphero.credits.bucket=10000000",
                        "--returnbridge.shiphero.credits.per-second=1000000",
                        "--spring.main.banner-mode=off")) {
            SandboxShipHero shiphero = app.getBean(SandboxShipHero.class);
            SandboxWebhookSender webhooks = app.getBean("sandboxShipHeroWebhooks", SandboxWebhookSender.class);
            Reconciler reconciler = app.getBean(Reconciler.class);
            Connection connection = app.getBean(Connections.class).get(SandboxConnection.ID);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            awaitStartupSweep(jdbc);
            shiphero.disableCreditModel();
            webhooks.deliveryFaults(1.0, 1, 1);
            shiphero.setReturnChangesTouchOrder(true);

            long seedStart = System.nanoTime();
            List<SandboxShipHero.SeededReturn> seeded = seed(n, shiphero, connection, jdbc);
            Bench.log("sweep: " + n + " waiting RMAs seeded in " + Bench.round(ms(seedStart) / 1000) + " s");

            shiphero.resetStats();
            long fullStart = System.nanoTime();
            Reconciler.Result full = reconciler.sweep(connection, true);
            double fullMs = ms(fullStart);
            check(full, n);
            r.put("sweep_full_credits_" + n, sweepCredits(shiphero.stats()));
            r.put("sweep_full_ms_" + n, Bench.round(fullMs));

            int changed = Math.max(1, n * CHANGED_PER_HUNDRED / 100);
            for (int i = 0; i < changed; i++) {
                shiphero.setStatus(seeded.get(i * (n / changed)).rmaId(), "RTS");
            }
            shiphero.resetStats();
            long start = System.nanoTime();
            Reconciler.Result sweep = reconciler.sweep(connection);
            double sweepMs = ms(start);
            check(sweep, n);
            long credits = sweepCredits(shiphero.stats());
            if (sweep.fullPass() || sweep.rmasChanged() != changed) {
                throw new IllegalStateException("sweep of " + n + ": expected an ordinary sweep finding " + changed
                        + " changed RMAs, got " + sweep);
            }
            r.put("sweep_credits_" + n, credits);
            r.put("sweep_ms_" + n, Bench.round(sweepMs));
            r.put("sweep_changed_" + n, changed);
            r.put("sweep_requests_" + n, shiphero.stats().requestsByOperation().getOrDefault("orders", 0L)
                    + shiphero.stats().requestsByOperation().getOrDefault("returns", 0L));
            r.put("sweep_credits_ratio_" + n, Bench.round((double) credits / (changed * getReturn)));
            Bench.log("sweep: " + n + " waiting, " + changed + " changed: " + credits + " credits ("
                    + changed * getReturn + " to read the changed ones by id), " + Bench.round(sweepMs) + " ms; full pass "
                    + r.get("sweep_full_credits_" + n) + " credits, " + Bench.round(fullMs) + " ms");
        }
    }

    /** One order and RMA per return in the simulator, one waiting link per return in the database (one batch). */
    private static List<SandboxShipHero.SeededReturn> seed(int n, SandboxShipHero shiphero, Connection connection,
                                                            JdbcTemplate jdbc) {
        Instant now = Instant.now();
        long base = 800_000_000_000L + System.nanoTime() % 1_000_000 * 1_000_000;
        List<SandboxShipHero.SeededReturn> seeded = new ArrayList<>(n);
        List<Object[]> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // evenly over 60 days, the newest ten minutes old (before the last sweep's overlap)
            Instant created = now.minus(SPREAD.multipliedBy(n - i).dividedBy(n)).minus(Duration.ofMinutes(10));
            String loopId = String.valueOf(base + i);
            SandboxShipHero.SeededReturn rma = shiphero.seedReturn("TEE-BLK-M", loopId, created);
            seeded.add(rma);
            WarehouseApi.RmaSnapshot pending = new WarehouseApi.RmaSnapshot(rma.rmaId(), rma.rmaLegacyId(), loopId,
                    "Pending", 1, 0, List.of(new WarehouseApi.LineState("TEE-BLK-M", 1, 0, 0, null, false)));
            String decision = Decision.of(connection.statusPolicy(), null, pending).key();
            OffsetDateTime at = OffsetDateTime.ofInstant(created, ZoneOffset.UTC);
            rows.add(new Object[] {connection.id(), loopId, "open", rma.orderId(), rma.rmaId(), rma.rmaLegacyId(),
                    "Pending", decision, at, at});
        }
        jdbc.batchUpdate("""
                INSERT INTO return_link (connection_id, loop_return_id, state, loop_state, shiphero_order_id,
                                         shiphero_return_id, shiphero_legacy_id, last_status, last_decision,
                                         created_at, updated_at)
                VALUES (?, ?, 'RMA_CREATED', ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
        return seeded;
    }

    /** The scheduled sweep runs once at start-up: measured sweeps start after it, not beside it. */
    private static void awaitStartupSweep(JdbcTemplate jdbc) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (jdbc.queryForObject("SELECT COUNT(*) FROM reconcile_watermark WHERE source = 'SHIPHERO_FULL'",
                Integer.class) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the start-up sweep did not finish within 120 s");
            }
            Thread.sleep(100); // polling a process's progress, not waiting for an effect in a test
        }
    }

    private static void check(Reconciler.Result result, int n) {
        if (!result.errors().stream().filter(e -> e.startsWith("ShipHero")).toList().isEmpty()) {
            throw new IllegalStateException("sweep of " + n + " failed: " + result.errors());
        }
    }

    /** The sweep's own reads: updated orders with their returns, and RMAs by creation window. */
    private static long sweepCredits(SandboxShipHero.Stats stats) {
        return stats.creditsByOperation().getOrDefault("orders", 0L)
                + stats.creditsByOperation().getOrDefault("returns", 0L);
    }

    private static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /** The phase alone: {@code -Dbench.quick=true} for 100 and 1,000. Results printed, not written. */
    public static void main(String[] args) throws Exception {
        Map<String, Object> r = run(sizes(Boolean.getBoolean("bench.quick")));
        System.out.println(r);
        System.exit(0);
    }
}
