package com.returnbridge.bench;

import com.returnbridge.database.DurableH2;
import com.returnbridge.vendor.Signatures;
import com.returnbridge.sandbox.SandboxWebhookSender;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.support.PostgresServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark: the packaged service as its own process on H2 and on PostgreSQL, the sandbox vendors in another
 * process (per-call latency, ShipHero credit model), and this driver measuring what the issue asks — intake
 * against the database's raw ceiling, acknowledgement latency at fixed rates, end-to-end latency against the
 * vendor round-trip floor, credits and requests per lifecycle against the minimum, backlog drain against the
 * credit-bound minimum, peak RSS and start-up time. Prints a table and writes {@code target/bench/results.json}.
 *
 * <p>Run with {@code mvn -Pbench verify} (see README, "Benchmark"); every knob is a {@code bench.*} system property.
 */
public final class Bench {

    /** Jobs still to run: every queued execution but the recurring tasks (sweeps and checks), which are always
     * there (db-scheduler gives each the instance id "recurring"). */
    static final String QUEUED_JOBS = "SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance <> 'recurring'";
    /** Deliveries answered and stored in the inbox that the router has not handled yet. */
    static final String UNROUTED = "SELECT COUNT(*) FROM delivery WHERE routed_at IS NULL";


    static final String ADMIN_PASSWORD = "bench-admin";
    static final String BENCH_LOOP_SECRET = "bench-loop-webhook-secret";
    static final String BENCH_SHIPHERO_SECRET = "bench-shiphero-webhook-secret";
    static final List<String> REQUIRED_KEYS = List.of("intake_ratio_pg", "ack_p99_ms_at_500", "e2e_create_p50_ratio",
            "e2e_action_p50_ratio", "credits_per_lifecycle_ratio", "drain_ratio", "throttle_failures", "peak_rss_mb",
            "startup_s");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicLong IDS = new AtomicLong(900_000_000_000L + System.currentTimeMillis() % 1_000_000 * 1000);

    /** Every knob, from {@code bench.*} system properties; {@link #smoke()} is the CI-sized run. */
    public record Config(int lifecycles, int drainReturns, List<Integer> ackRates, double ackSeconds,
                         double intakeSeconds, int intakeConcurrency, int latencyMs, int bucket, double refill,
                         List<String> databases, List<String> drainDatabases, String xmx, Path out, Path jar,
                         int startupRounds) {

        public static Config fromSystemProperties() {
            if (Boolean.getBoolean("bench.quick")) {
                return quick();
            }
            return new Config(intProp("bench.n", 200), intProp("bench.drain", 2000),
                    Arrays.stream(System.getProperty("bench.rates", "100,250,500,750,1000,1500,2000,3000").split(","))
                            .map(String::trim).map(Integer::parseInt).toList(),
                    doubleProp("bench.rate-seconds", 5), doubleProp("bench.intake-seconds", 10),
                    intProp("bench.intake-concurrency", 32), intProp("bench.latency-ms", 20),
                    intProp("bench.bucket", 4004), doubleProp("bench.refill", 60),
                    list(System.getProperty("bench.databases", "h2,postgres")),
                    list(System.getProperty("bench.drain-databases", "postgres")),
                    System.getProperty("bench.xmx", "256m"),
                    Path.of(System.getProperty("bench.out", "target/bench/results.json")), findJar(),
                    intProp("bench.startup-rounds", 3));
        }

        /**
         * A first look in a few minutes ({@code -Dbench.quick}): both databases, every phase, small sizes. Its
         * ratios are noisier than the full run's; the README's figures come from the full run.
         */
        public static Config quick() {
            return new Config(20, 200, List.of(100, 500, 1000), 2, 3, 32, 20, 4004, 60,
                    list(System.getProperty("bench.databases", "h2,postgres")),
                    list(System.getProperty("bench.drain-databases", "postgres")), "256m",
                    Path.of("target/bench/results.json"),
                    findJar(), 2);
        }

        /** Small enough for {@code mvn verify}: PostgreSQL only, short phases, a small backlog and bucket. */
        public static Config smoke() {
            return new Config(6, 60, List.of(100, 500, 1000), 0.5, 2, 16, 20, 600, 150,
                    List.of("postgres"), List.of("postgres"), "256m", Path.of("target/bench/smoke-results.json"),
                    findJar(), 0);
        }
    }

    private final Config config;
    private final HttpClient http = BenchLoad.client(4);
    private final Path work;
    private BenchProcess sandbox;
    private final int servicePort;
    private final int sandboxPort;
    private final Map<String, Long> minimumCredits = new LinkedHashMap<>();
    private double peakRssMb;

    Bench(Config config) throws IOException {
        this.config = config;
        this.work = config.out().toAbsolutePath().getParent().resolve("run");
        int[] ports = freePorts(2);
        this.servicePort = ports[0];
        this.sandboxPort = ports[1];
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromSystemProperties();
        Map<String, Object> results = run(config);
        System.out.println(table(results));
        System.out.println("bench: results written to " + config.out().toAbsolutePath());
        System.exit(0);
    }

    /** Runs everything, writes the results file and returns what it wrote. */
    public static Map<String, Object> run(Config config) throws Exception {
        Bench bench = new Bench(config);
        try {
            return bench.runAll();
        } finally {
            if (bench.sandbox != null) {
                bench.sandbox.close();
            }
        }
    }

    private Map<String, Object> runAll() throws Exception {
        Files.createDirectories(work);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("date", Instant.now().toString());
        results.put("machine", machine());
        results.put("config", Map.of("lifecycles", config.lifecycles(), "drain_returns", config.drainReturns(),
                "vendor_latency_ms", config.latencyMs(), "credit_bucket", config.bucket(),
                "credit_refill_per_s", config.refill(), "service_xmx", config.xmx(),
                "databases", config.databases()));

        checkPrerequisites();
        minimumCredits.putAll(probeDocumentCosts());
        results.put("document_credits", minimumCredits);
        log("credits per document, as the simulator charges them: " + minimumCredits);

        sandbox = BenchProcess.start("sandbox", config.jar(), "768m", sandboxPort, List.of(
                "--returnbridge.sandbox.enabled=true",
                "--returnbridge.sandbox.webhook-target=http://127.0.0.1:" + servicePort,
                "--spring.datasource.url=jdbc:h2:mem:sandbox", "--returnbridge.admin.password=" + ADMIN_PASSWORD,
                "--returnbridge.sandbox.latency=PT" + config.latencyMs() / 1000.0 + "S",
                "--logging.level.com.returnbridge=WARN"), work.resolve("logs"));
        log("sandbox vendors healthy after " + round(sandbox.awaitHealthy(Duration.ofMinutes(3))) + " s");

        Map<String, Object> perDatabase = new LinkedHashMap<>();
        results.put("databases", perDatabase);
        List<String> failed = new ArrayList<>();
        for (String db : config.databases()) {
            Map<String, Object> r = new LinkedHashMap<>();
            perDatabase.put(db, r);
            try {
                runDatabase(db, r);
            } catch (Exception | AssertionError e) {
                // What finished is kept and written; the next database still runs.
                r.put("error", e.toString());
                failed.add(db + ": " + e);
                log(db + ": failed: " + e);
            }
            summarise(results, perDatabase);
            write(results);
        }
        try { // the sweep's cost against what changed (issue 11 §3): in this JVM, seeded directly
            if (!BenchJobs.only()) {
                results.putAll(BenchSweep.run(BenchSweep.sizes(config)));
            }
        } catch (Exception e) {
            results.put("sweep", Map.of("error", e.toString()));
            failed.add("sweep: " + e);
        }
        write(results);
        if (config.startupRounds() > 0 && !BenchJobs.only()) {
            try {
                Map<String, Object> startup = new BenchStartup(config.jar(), work, config.xmx(), servicePort)
                        .measure(config.startupRounds());
                results.put("startup", startup);
                results.put("startup_ratio", startup.get("startup_ratio"));
                log("start-up: " + startup);
            } catch (Exception e) {
                results.put("startup", Map.of("error", e.toString()));
                failed.add("startup: " + e);
                log("start-up: failed: " + e);
            }
            write(results);
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("benchmark phases failed (results of the others are in "
                    + config.out() + "): " + failed);
        }
        return results;
    }

    /** Before the first phase: what the run will need, so a missing piece stops it in seconds, not after H2. */
    private void checkPrerequisites() throws Exception {
        if (!Files.isRegularFile(config.jar())) {
            throw new IllegalStateException("no service jar at " + config.jar() + ": run mvn -Pbench verify");
        }
        if (config.databases().contains("postgres")) {
            try (PostgresServer probe = PostgresServer.start(List.of(), "probe")) {
                log("prerequisites: PostgreSQL starts (" + probe.jdbcUrl("probe") + ")");
            }
        }
    }

    /** The headline keys, from whatever databases have run so far. */
    private void summarise(Map<String, Object> results, Map<String, Object> perDatabase) {
        @SuppressWarnings("unchecked")
        Map<String, Object> main = (Map<String, Object>) perDatabase.getOrDefault("postgres",
                perDatabase.values().iterator().next());
        results.put("intake_ratio_pg", main.getOrDefault("intake_ratio", Double.NaN));
        Map<?, ?> h2 = (Map<?, ?>) perDatabase.getOrDefault("h2", Map.of());
        Map<?, ?> pgRun = (Map<?, ?>) perDatabase.getOrDefault("postgres", Map.of());
        results.put("intake_ratio_h2", h2.containsKey("intake_ratio") ? h2.get("intake_ratio") : Double.NaN);
        results.put("max_rate_p99_under_50ms_pg", pgRun.containsKey("ack_max_rate_p99_under_50ms")
                ? pgRun.get("ack_max_rate_p99_under_50ms") : Double.NaN);
        results.put("max_rate_p99_under_50ms_h2", h2.containsKey("ack_max_rate_p99_under_50ms")
                ? h2.get("ack_max_rate_p99_under_50ms") : Double.NaN);
        Object httpH2 = h2.containsKey("intake_http_ratio") ? h2.get("intake_http_ratio") : Double.NaN;
        Object httpPg = pgRun.containsKey("intake_http_ratio") ? pgRun.get("intake_http_ratio") : Double.NaN;
        results.put("intake_http_ratio_h2", httpH2);
        results.put("intake_http_ratio_pg", httpPg);
        // the headline is the worse of the databases that ran (the target holds for both)
        results.put("intake_http_ratio", java.util.stream.Stream.of(httpH2, httpPg).map(v -> ((Number) v)
                .doubleValue()).filter(v -> !v.isNaN()).min(Double::compare).orElse(Double.NaN));
        results.put("ack_p99_ms_at_500", main.getOrDefault("ack_p99_ms_at_500", Double.NaN));
        results.put("e2e_create_p50_ratio", main.getOrDefault("e2e_create_p50_ratio", Double.NaN));
        results.put("e2e_action_p50_ratio", main.getOrDefault("e2e_action_p50_ratio", Double.NaN));
        results.put("credits_per_lifecycle_ratio", main.getOrDefault("credits_per_lifecycle_ratio", Double.NaN));
        Map<?, ?> drain = main.containsKey("drain_ratio") ? main : perDatabase.values().stream()
                .map(m -> (Map<?, ?>) m).filter(m -> m.containsKey("drain_ratio")).findFirst().orElse(Map.of());
        results.put("drain_ratio", drain.containsKey("drain_ratio") ? drain.get("drain_ratio") : Double.NaN);
        results.put("throttle_failures", drain.containsKey("throttle_failures") ? drain.get("throttle_failures")
                : Double.NaN);
        results.put("drain_wakeups_per_return", drain.containsKey("drain_wakeups_per_return")
                ? drain.get("drain_wakeups_per_return") : Double.NaN);
        results.put("drain_cpu_s_per_return", drain.containsKey("drain_cpu_s_per_return")
                ? drain.get("drain_cpu_s_per_return") : Double.NaN);
        results.put("peak_rss_mb", round(peakRssMb));
        results.put("startup_s", main.getOrDefault("startup_s", Double.NaN));
        BenchJobs.summarise(results, perDatabase);
    }

    private void write(Map<String, Object> results) throws IOException {
        Files.createDirectories(config.out().toAbsolutePath().getParent());
        Files.writeString(config.out(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        Files.writeString(config.out().resolveSibling(config.out().getFileName().toString().replace(".json", ".md")),
                table(results));
    }

    // ------------------------------------------------------------------------------------------------ one database

    /** Every phase on one database; each phase's figures go into {@code r} as soon as it has them. */
    private void runDatabase(String db, Map<String, Object> r) throws Exception {
        PostgresServer pg = db.equals("postgres") ? PostgresServer.start() : null;
        String url = pg != null ? pg.jdbcUrl("bench")
                : "jdbc:h2:file:" + work.resolve("h2-" + UUID.randomUUID()).resolve("returnbridge")
                + ";AUTO_SERVER=TRUE";
        String user = pg != null ? "postgres" : "sa";
        BenchProcess service = null;
        try {
            String s = sandbox.url("");
            List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + url,
                    "--spring.datasource.username=" + user, "--spring.datasource.password=",
                    "--returnbridge.admin.password=" + ADMIN_PASSWORD,
                    "--returnbridge.connections.sandbox.loop.base-url=" + s + "/sandbox/loop/api/v1",
                    "--returnbridge.connections.sandbox.loop.api-key=sandbox-loop-api-key",
                    "--returnbridge.connections.sandbox.loop.webhook-secret=sandbox-loop-webhook-secret",
                    "--returnbridge.connections.sandbox.shiphero.base-url=" + s + "/sandbox/shiphero",
                    "--returnbridge.connections.sandbox.shiphero.refresh-token=sandbox-shiphero-refresh-token",
                    "--returnbridge.connections.sandbox.shiphero.webhook-secret=sandbox-shiphero-webhook-secret",
                    "--returnbridge.connections.sandbox.shiphero.warehouse-id=V2FyZWhvdXNlOjExNzkw",
                    "--returnbridge.connections.sandbox.close-status=Complete",
                    // Intake load goes to a second connection with no warehouse: its jobs settle locally (they ask
                    // a person for the warehouse) instead of retrying order look-ups for hours.
                    "--returnbridge.connections.bench.loop.base-url=" + s + "/sandbox/loop/api/v1",
                    "--returnbridge.connections.bench.loop.api-key=sandbox-loop-api-key",
                    "--returnbridge.connections.bench.loop.webhook-secret=" + BENCH_LOOP_SECRET,
                    // Another merchant's ShipHero account (the service keys a credit budget by endpoint and
                    // credential): the load phases' reads must not spend the budget the end-to-end phase then waits for.
                    "--returnbridge.connections.bench.shiphero.base-url=" + s.replace("127.0.0.1", "localhost")
                            + "/sandbox/shiphero",
                    "--returnbridge.connections.bench.shiphero.refresh-token=sandbox-shiphero-refresh-token",
                    "--returnbridge.connections.bench.shiphero.webhook-secret=" + BENCH_SHIPHERO_SECRET));
            args.add("--spring.profiles.active=bench"); // the bare one-row endpoint (bench.bare), for intake_http
            // -Dbench.service-jvm-options="…" (space-separated) for a diagnosis, e.g. native memory tracking
            List<String> jvm = Arrays.stream(System.getProperty("bench.service-jvm-options", "").trim().split("\\s+"))
                    .filter(o -> !o.isEmpty()).toList();
            service = BenchProcess.start("service-" + db, jvm, config.jar(), config.xmx(), servicePort, args,
                    work.resolve("logs"), bareClasses());
            double startup = service.awaitHealthy(Duration.ofMinutes(3));
            r.put("startup_s", round(startup));
            log(db + ": service healthy after " + round(startup) + " s (pid " + service.pid() + ")");
            try (Connection jdbc = DriverManager.getConnection(url, user, "")) {
                Db database = new Db(jdbc);
                control("POST", "/credits", "{\"enabled\":false}");
                control("POST", "/latency", "{\"millis\":" + config.latencyMs() + "}");
                warmUp(service, database);
                r.putAll(BenchJobs.measure(db, url, user, work, service, jdbc, ADMIN_PASSWORD, BENCH_LOOP_SECRET,
                        ms -> control("POST", "/latency", "{\"millis\":" + (ms < 0 ? config.latencyMs() : ms) + "}")));
                if (BenchJobs.only()) {
                    return; // -Dbench.jobs-only: a first look at the job phase alone
                }
                ack(service, database, r);
                intake(service, database, pg, r);
                endToEnd(service, database, r);
                if (config.drainDatabases().contains(db)) {
                    drain(service, database, r);
                }
                if (jvm.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking"))) {
                    Path nmt = work.resolve("logs").resolve("nmt-" + db + ".txt");
                    new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                            String.valueOf(service.pid()), "VM.native_memory", "summary").redirectErrorStream(true)
                            .redirectOutput(nmt.toFile()).start().waitFor();
                    log(db + ": native memory summary in " + nmt);
                }
                r.put("peak_rss_mb", round(service.peakRssMb()));
                peakRssMb = Math.max(peakRssMb, service.peakRssMb());
            }
        } finally {
            if (service != null) {
                service.close();
            }
            if (pg != null) {
                pg.close();
            }
        }
        log(db + ": " + r);
    }

    private void warmUp(BenchProcess service, Db db) throws Exception {
        int count = Math.max(3, config.lifecycles() / 10);
        for (int i = 0; i < count; i++) {
            long id = newReturn();
            db.awaitState(id, "RMA_CREATED", Duration.ofSeconds(60));
            receive(id);
            db.awaitState(id, "CLOSED", Duration.ofSeconds(60));
        }
        BenchLoad.open(http, deliveries(service, (int) Math.max(200, 300 * config.ackSeconds())), 300);
        db.awaitQueueEmpty(Duration.ofSeconds(120));
    }

    // ------------------------------------------------------------------------------------------------ intake

    /** Acknowledgement latency at fixed offered rates; then on up the ladder while p99 stays under 50 ms. */
    private void ack(BenchProcess service, Db db, Map<String, Object> r) throws Exception {
        List<Map<String, Object>> steps = new ArrayList<>();
        double held = 0;
        for (int rate : config.ackRates()) {
            List<HttpRequest> requests = deliveries(service, (int) Math.ceil(rate * config.ackSeconds()));
            BenchLoad.OpenResult result = BenchLoad.open(http, requests, rate);
            steps.add(Map.of("offered_per_s", rate, "achieved_per_s", round(result.achievedPerSecond()),
                    "p50_ms", round(result.p50Ms()), "p99_ms", round(result.p99Ms()), "max_ms", round(result.maxMs()),
                    "errors", result.errors()));
            log("ack @" + rate + "/s: p50 " + round(result.p50Ms()) + " ms, p99 " + round(result.p99Ms())
                    + " ms, achieved " + round(result.achievedPerSecond()) + "/s, errors " + result.errors());
            boolean holds = result.p99Ms() < 50 && result.errors() == 0
                    && result.achievedPerSecond() >= 0.95 * rate;
            if (holds) {
                held = Math.max(held, rate);
            }
            if (rate == 100 || rate == 500 || rate == 1000) {
                r.put("ack_p50_ms_at_" + rate, round(result.p50Ms()));
                r.put("ack_p99_ms_at_" + rate, round(result.p99Ms()));
            }
            db.awaitQueueEmpty(Duration.ofSeconds(180));
            if (!holds && rate >= 1000) {
                break;
            }
        }
        r.put("ack_steps", steps);
        r.put("ack_max_rate_p99_under_50ms", held);
    }

    /** Sustained intake (closed model) against a plain JDBC insert + commit of the same row, same pool size. */
    private void intake(BenchProcess service, Db db, PostgresServer pg, Map<String, Object> r) throws Exception {
        Duration duration = Duration.ofMillis((long) (config.intakeSeconds() * 1000));
        double ours = BenchLoad.closed(http, i -> loopDelivery(service), config.intakeConcurrency(), duration);
        db.awaitQueueEmpty(Duration.ofSeconds(300));
        // Like with like: the raw H2 ceiling with the durability the service applies to its own H2 file database.
        String rawUrl = pg != null ? pg.jdbcUrl("bench")
                : DurableH2.durable("jdbc:h2:file:" + work.resolve("h2-raw-" + UUID.randomUUID()).resolve("raw"));
        double raw = rawCeiling(rawUrl, pg != null ? "postgres" : "sa", 16, duration,
                new String(loopBody(IDS.incrementAndGet()), StandardCharsets.UTF_8));
        r.put("intake_per_s", round(ours));
        r.put("raw_insert_per_s", round(raw));
        r.put("intake_ratio", round(ours / raw));
        log("intake " + round(ours) + "/s vs raw insert+commit " + round(raw) + "/s");
        // The HTTP baseline: the same bodies, load and process, to an endpoint that only stores one row per request.
        double bare = BenchLoad.closed(http, i -> bareDelivery(service), config.intakeConcurrency(), duration);
        r.put("bare_http_per_s", round(bare));
        r.put("intake_http_ratio", round(ours / bare));
        log("intake " + round(ours) + "/s vs bare one-row endpoint " + round(bare) + "/s");
    }

    private HttpRequest bareDelivery(BenchProcess service) {
        byte[] body = loopBody(IDS.incrementAndGet());
        return HttpRequest.newBuilder(URI.create(service.url("/webhooks/bench-bare/bench")))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("X-Loop-Signature", Signatures.sign(BENCH_LOOP_SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /**
     * The compiled {@code bench.bare} package, copied on its own into the run's directory for the service's loader
     * path (the whole test output would bring every test's configuration into the service).
     */
    private Path bareClasses() throws IOException, java.net.URISyntaxException {
        Path root = Path.of(com.returnbridge.bench.bare.BareEndpoint.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        String pkg = com.returnbridge.bench.bare.BareEndpoint.class.getPackageName().replace('.', '/');
        Path target = work.resolve("bare-classes");
        Files.createDirectories(target.resolve(pkg));
        try (DirectoryStream<Path> classes = Files.newDirectoryStream(root.resolve(pkg), "*.class")) {
            for (Path c : classes) {
                Files.copy(c, target.resolve(pkg).resolve(c.getFileName().toString()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    /** The database's ceiling for our row: insert + commit of a delivery-sized row, 16 connections flat out. */
    private static double rawCeiling(String url, String user, int pool, Duration duration, String body)
            throws Exception {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword("");
        hc.setMaximumPoolSize(pool);
        try (HikariDataSource ds = new HikariDataSource(hc)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("""
                        CREATE TABLE IF NOT EXISTS bench_raw (
                            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                            connection_id VARCHAR(100) NOT NULL, source VARCHAR(20) NOT NULL,
                            dedupe_key VARCHAR(200) NOT NULL, topic VARCHAR(100), subject_id VARCHAR(200),
                            received_at TIMESTAMP WITH TIME ZONE NOT NULL, headers VARCHAR, body VARCHAR NOT NULL,
                            outcome VARCHAR(30) NOT NULL, duplicates INT DEFAULT 0 NOT NULL,
                            CONSTRAINT uq_bench_raw UNIQUE (connection_id, source, dedupe_key))""");
            }
            AtomicLong done = new AtomicLong();
            long deadline = System.nanoTime() + duration.toNanos();
            long start = System.nanoTime();
            Thread[] threads = new Thread[pool];
            for (int t = 0; t < pool; t++) {
                threads[t] = new Thread(() -> {
                    while (System.nanoTime() < deadline) {
                        try (Connection c = ds.getConnection()) {
                            c.setAutoCommit(false);
                            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_raw (connection_id, "
                                    + "source, dedupe_key, topic, subject_id, received_at, headers, body, outcome) "
                                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                                ps.setString(1, "bench");
                                ps.setString(2, "LOOP");
                                ps.setString(3, UUID.randomUUID().toString());
                                ps.setString(4, "return/return.created");
                                ps.setString(5, "1");
                                ps.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
                                ps.setString(7, null);
                                ps.setString(8, body);
                                ps.setString(9, "ACCEPTED");
                                ps.executeUpdate();
                            }
                            c.commit();
                            done.incrementAndGet();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            return done.get() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Distinct signed deliveries as the vendors send them, half Loop return.created, half ShipHero Return Update. */
    private List<HttpRequest> deliveries(BenchProcess service, int count) {
        List<HttpRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(i % 2 == 0 ? loopDelivery(service) : shipheroDelivery(service));
        }
        return requests;
    }

    private HttpRequest loopDelivery(BenchProcess service) {
        byte[] body = loopBody(IDS.incrementAndGet());
        return HttpRequest.newBuilder(URI.create(service.url("/webhooks/loop/bench"))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Loop-Signature", Signatures.sign(BENCH_LOOP_SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private HttpRequest shipheroDelivery(BenchProcess service) {
        byte[] body = shipheroBody(IDS.incrementAndGet());
        return HttpRequest.newBuilder(URI.create(service.url("/webhooks/shiphero/bench")))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("x-shiphero-hmac-sha256", Signatures.sign(BENCH_SHIPHERO_SECRET, body))
                .header("X-Shiphero-Message-ID", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** A Loop return.created body shaped like the simulator's (and Loop's): two units of one SKU. */
    static byte[] loopBody(long id) {
        String now = Instant.now().toString();
        long order = id % 1_000_000_000L;
        String item = """
                {"line_item_id":"%d","provider_line_item_id":"1%d","product_id":"7001","variant_id":"8001",\
                "sku":"TEE-BLK-M","barcode":"0001","title":"T-shirt black M","price":"25.00","discount":"0.00",\
                "tax":"0.00","refund":"25.00","returned_at":"%s","exchange_variant":"","return_reason":"Too small",\
                "parent_return_reason":"Fit","outcome":"default"}""";
        String body = """
                {"topic":"return","trigger":"return.created","shop_id":"12345","id":"%d","state":"open",\
                "created_at":"%s","edited_at":"%s","total":"50.00","order_id":"%d","order_name":"#%d",\
                "order_number":"%d","provider_order_id":"59%d","provider_order_number":%d,\
                "provider_order_external_id":"59%d","provider_order_sales_channel":"Online Store",\
                "customer":"shopper%d@example.com","customer_detail":{"email":"shopper%d@example.com",\
                "first_name":"Sam","middle_name":null,"last_name":"Shopper"},"address":{"name":"Sam Shopper",\
                "company":null,"address1":"1 Main St","address2":null,"city":"Springfield","state":"IL",\
                "zip":"62701","country":"United States","country_code":"US","phone":"5555550100"},\
                "currency":"USD","return_product_total":"50.00","return_discount_total":"0.00",\
                "return_tax_total":"0.00","return_total":"50.00","return_credit_total":"0.00",\
                "exchange_product_total":"0.00","exchange_discount_total":"0.00","exchange_tax_total":"0.00",\
                "exchange_total":"0.00","exchange_credit_total":"0.00","handling_fee":"0.00","refund":"50.00",\
                "upsell":"0.00","status_page_url":"https://shop.loopreturns.com/#/return/%d","gift_card":"0.00",\
                "is_gift_return":false,"refunds":[],"labels":[],"line_items":[%s,%s],"exchanges":[],\
                "carrier":"N/A","tracking_number":"N/A","label_status":"N/A","label_updated_at":null}"""
                .formatted(id, now, now, order, order, order, order, order, order, order, order, id,
                        item.formatted(id * 2, id * 2, now), item.formatted(id * 2 + 1, id * 2 + 1, now));
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** A ShipHero Return Update body shaped like the simulator's, for an RMA this service did not create. */
    static byte[] shipheroBody(long id) {
        String uuid = Base64.getEncoder().encodeToString(("Return:" + id).getBytes(StandardCharsets.UTF_8));
        String body = """
                {"test":"0","webhook_type":"Return Update","return_id":%d,"return_uuid":"%s",\
                "status":"Warehouse Complete","reason":"Loop return","items":[{"id":%d,"uuid":"UmV0dXJuTGluZUl0ZW06%d",\
                "quantity":2,"quantity_received":2,"sku":"TEE-BLK-M","item_reason":"Too small","restock":2,\
                "partner_line_item_id":"1%d","warehouse_id":11790}],"order_id":%d,"order_uuid":"T3JkZXI6%d",\
                "partner_order_id":"59%d","order_number":"#%d","shop_name":"demo-shop.myshopify.com",\
                "created_at":"2025-01-01 10:00:00","label_type":"Free","label_cost":"0.00","picked_up":false,\
                "tracking_number":null,"date_used":null}""".formatted(id, uuid, id, id, id, id, id, id, id);
        return body.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------ end to end

    /**
     * Whole lifecycles, one return at a time (so latency is not queueing): Loop return.created → RMA, then the
     * warehouse receives everything with "Warehouse Complete" → Loop Process → RMA closed. Latencies come from the
     * service's own timeline (webhook stored → RMA created; Return Update stored → Loop accepted Process); the floor
     * is the mean round-trip of the vendor calls on that path, from the service's own timers in the same window.
     */
    private void endToEnd(BenchProcess service, Db db, Map<String, Object> r) throws Exception {
        control("POST", "/credits", "{\"enabled\":false}");
        db.awaitQueueEmpty(Duration.ofSeconds(120));
        control("POST", "/stats/reset", "{}");
        Map<String, double[]> before = vendorTimers(service);
        long marker = db.scalar("SELECT COALESCE(MAX(id), 0) FROM timeline_entry");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < config.lifecycles(); i++) {
            long id = newReturn();
            ids.add(id);
            db.awaitState(id, "RMA_CREATED", Duration.ofSeconds(60));
        }
        db.awaitQueueEmpty(Duration.ofSeconds(60));
        for (long id : ids) {
            receive(id);
            db.awaitState(id, "CLOSED", Duration.ofSeconds(60));
        }
        db.awaitQueueEmpty(Duration.ofSeconds(60));
        Thread.sleep(500); // the echo of our own close, if the vendor sends one
        db.awaitQueueEmpty(Duration.ofSeconds(60));
        Map<String, double[]> after = vendorTimers(service);
        JsonNode summary = JSON.readTree(control("GET", "/summary", null));

        Map<String, Instant[]> times = new HashMap<>(); // webhook, rma, status, action
        try (PreparedStatement ps = db.jdbc.prepareStatement("SELECT loop_return_id, kind, message, at "
                + "FROM timeline_entry WHERE connection_id = 'sandbox' AND id > ? ORDER BY id")) {
            ps.setLong(1, marker);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant[] t = times.computeIfAbsent(rs.getString(1), k -> new Instant[4]);
                    String kind = rs.getString(2);
                    String message = rs.getString(3);
                    Instant at = rs.getObject(4, OffsetDateTime.class).toInstant();
                    if (kind.equals("LOOP_EVENT") && message.startsWith("Loop return.created") && t[0] == null) {
                        t[0] = at;
                    } else if (kind.equals("RMA_CREATED") && t[1] == null) {
                        t[1] = at;
                    } else if (kind.equals("SHIPHERO_EVENT") && message.contains("Warehouse Complete") && t[2] == null) {
                        t[2] = at;
                    } else if (kind.equals("LOOP_PROCESSED") && t[3] == null) {
                        t[3] = at;
                    }
                }
            }
        }
        // From the moment the webhook reached the service (its inbox row's received_at), not from the timeline's
        // LOOP_EVENT, which the router writes after the answer: routing is part of end to end.
        Map<String, Map<String, List<Long>>> steps = new LinkedHashMap<>();
        for (Map.Entry<String, Instant[]> e : times.entrySet()) {
            Instant[] t = e.getValue();
            Instant[] create = db.steps(e.getKey(), "LOOP", null, "shiphero", t[1]);
            if (create != null) {
                t[0] = create[0];
                addSteps(steps.computeIfAbsent("create", k -> new LinkedHashMap<>()), create);
            }
            Instant[] act = db.steps(e.getKey(), "SHIPHERO", "Warehouse Complete", "shiphero", t[3]);
            if (act != null) {
                t[2] = act[0];
                addSteps(steps.computeIfAbsent("action", k -> new LinkedHashMap<>()), act);
            }
        }
        steps.forEach((path, byStep) -> {
            Map<String, Double> medians = new LinkedHashMap<>();
            byStep.forEach((step, values) -> medians.put(step, round(BenchLoad.percentileMs(
                    values.stream().mapToLong(Long::longValue).sorted().toArray(), 50))));
            r.put("e2e_" + path + "_steps_p50_ms", medians);
        });
        long[] create = times.values().stream().filter(t -> t[0] != null && t[1] != null)
                .mapToLong(t -> Duration.between(t[0], t[1]).toNanos()).sorted().toArray();
        long[] action = times.values().stream().filter(t -> t[2] != null && t[3] != null)
                .mapToLong(t -> Duration.between(t[2], t[3]).toNanos()).sorted().toArray();
        double floorCreate = mean(before, after, "shiphero/orders") + mean(before, after, "shiphero/return_create");
        double floorAction = mean(before, after, "shiphero/return") + mean(before, after, "loop/process");
        r.put("e2e_returns", create.length);
        r.put("e2e_create_p50_ms", round(BenchLoad.percentileMs(create, 50)));
        r.put("e2e_create_p99_ms", round(BenchLoad.percentileMs(create, 99)));
        r.put("e2e_create_floor_ms", round(floorCreate));
        r.put("e2e_create_p50_ratio", round(BenchLoad.percentileMs(create, 50) / floorCreate));
        r.put("e2e_action_p50_ms", round(BenchLoad.percentileMs(action, 50)));
        r.put("e2e_action_p99_ms", round(BenchLoad.percentileMs(action, 99)));
        r.put("e2e_action_floor_ms", round(floorAction));
        r.put("e2e_action_p50_ratio", round(BenchLoad.percentileMs(action, 50) / floorAction));

        int n = ids.size();
        JsonNode shiphero = summary.path("shiphero_stats");
        Map<String, Double> requestsPerLifecycle = new LinkedHashMap<>();
        shiphero.path("requestsByOperation").properties().forEach(e ->
                requestsPerLifecycle.put(e.getKey(), round(e.getValue().asDouble() / n)));
        long minimum = lifecycleMinimum();
        double credits = shiphero.path("creditsSpent").asDouble() / n;
        double loopRequests = 0;
        for (JsonNode count : summary.path("loop_stats").path("requests")) {
            loopRequests += count.asDouble();
        }
        r.put("shiphero_requests_per_lifecycle", requestsPerLifecycle);
        r.put("shiphero_requests_per_lifecycle_total", round(shiphero.path("totalRequests").asDouble() / n));
        r.put("shiphero_requests_per_lifecycle_min", 5);
        r.put("credits_per_lifecycle", round(credits));
        r.put("credits_per_lifecycle_min", minimum);
        r.put("credits_per_lifecycle_ratio", round(credits / minimum));
        r.put("loop_requests_per_return", round(loopRequests / n));
        log("e2e: create p50 " + r.get("e2e_create_p50_ms") + " ms (floor " + round(floorCreate) + "), action p50 "
                + r.get("e2e_action_p50_ms") + " ms (floor " + round(floorAction) + "); credits/lifecycle "
                + round(credits) + " (min " + minimum + "), ShipHero requests " + requestsPerLifecycle);
    }

    /** find order + create RMA + a re-read per status webhook (created "Pending", then received) + close. */
    private long lifecycleMinimum() {
        return minimumCredits.get("FindOrdersByPartnerOrderId") + minimumCredits.get("CreateReturn")
                + 2 * minimumCredits.get("GetReturn") + minimumCredits.get("UpdateReturnStatus");
    }

    // ------------------------------------------------------------------------------------------------ drain

    /**
     * A backlog of returns arriving at once under the credit model (the bucket starts full): time until every
     * RMA exists and every job is done, against the credit-bound minimum (credits needed ÷ refill rate).
     */
    private void drain(BenchProcess service, Db db, Map<String, Object> r) throws Exception {
        int n = config.drainReturns();
        db.awaitQueueEmpty(Duration.ofSeconds(120));
        double heldBefore = metricSum(service, "returnbridge_shiphero_credits_held_total");
        Map<String, Double> heldByReasonBefore = new LinkedHashMap<>();
        for (String reason : List.of("in_line", "woken_early", "short_at_turn")) {
            heldByReasonBefore.put(reason, metricSum(service, "returnbridge_shiphero_credits_held_total{reason=\""
                    + reason + "\""));
        }
        double runsBefore = metricSum(service, "returnbridge_jobs_seconds_count");
        double cpuBefore = service.cpuSeconds();
        control("POST", "/credits", "{\"bucketSize\":" + config.bucket() + ",\"refillPerSecond\":" + config.refill()
                + "}");
        control("POST", "/stats/reset", "{}");
        long marker = db.scalar("SELECT COALESCE(MAX(id), 0) FROM return_link");
        long timelineMarker = db.scalar("SELECT COALESCE(MAX(id), 0) FROM timeline_entry");
        long perReturn = minimumCredits.get("FindOrdersByPartnerOrderId") + minimumCredits.get("CreateReturn")
                + minimumCredits.get("GetReturn");
        double minimumSeconds = (double) perReturn * n / config.refill();
        Instant start = Instant.now();
        for (int done = 0; done < n; done += 500) {
            control("POST", "/returns", "{\"count\":" + Math.min(500, n - done)
                    + ",\"items\":[{\"sku\":\"TEE-BLK-M\",\"count\":1}]}");
        }
        log("drain: " + n + " returns queued; credit-bound minimum " + round(minimumSeconds) + " s");
        long deadline = System.nanoTime() + Duration.ofSeconds((long) (minimumSeconds * 3 + 180)).toNanos();
        long failing = 0;
        while (System.nanoTime() < deadline) {
            long created = db.scalar("SELECT COUNT(*) FROM return_link WHERE id > " + marker
                    + " AND state = 'RMA_CREATED'");
            long queued = db.scalar(QUEUED_JOBS);
            failing = Math.max(failing, db.scalar(QUEUED_JOBS + " AND consecutive_failures > 0"));
            if (created + db.scalar("SELECT COUNT(*) FROM return_link WHERE id > " + marker
                    + " AND state = 'NEEDS_ATTENTION'") >= n && queued == 0) {
                break;
            }
            Thread.sleep(250);
        }
        Instant end = Instant.ofEpochMilli(0);
        try (PreparedStatement ps = db.jdbc.prepareStatement("SELECT MAX(at) FROM timeline_entry WHERE id > ? "
                + "AND kind IN ('RMA_CREATED', 'DECISION')")) {
            ps.setLong(1, timelineMarker);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getObject(1) != null) {
                    end = rs.getObject(1, OffsetDateTime.class).toInstant();
                }
            }
        }
        double seconds = Duration.between(start, end).toMillis() / 1000.0;
        long created = db.scalar("SELECT COUNT(*) FROM return_link WHERE id > " + marker + " AND state = 'RMA_CREATED'");
        long attention = db.scalar("SELECT COUNT(*) FROM return_link WHERE id > " + marker
                + " AND state = 'NEEDS_ATTENTION'");
        long retries = db.scalar("SELECT COUNT(*) FROM timeline_entry WHERE id > " + timelineMarker
                + " AND kind = 'RETRY'");
        long throttleWaits = db.scalar("SELECT COUNT(*) FROM timeline_entry WHERE id > " + timelineMarker
                + " AND kind = 'THROTTLED'");
        JsonNode shiphero = JSON.readTree(control("GET", "/summary", null)).path("shiphero_stats");
        long credits = shiphero.path("creditsSpent").asLong();
        // A wake-up is a run of a job that had been put to sleep for the credit budget: every run held back for
        // credits is followed by one. Job runs and CPU count everything the service did while draining.
        r.put("drain_wakeups_per_return", round((metricSum(service, "returnbridge_shiphero_credits_held_total")
                - heldBefore) / n));
        Map<String, Double> heldByReason = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : heldByReasonBefore.entrySet()) {
            heldByReason.put(e.getKey(), round((metricSum(service, "returnbridge_shiphero_credits_held_total{reason=\""
                    + e.getKey() + "\"") - e.getValue()) / n));
        }
        r.put("drain_wakeups_per_return_by_reason", heldByReason);
        r.put("drain_job_runs_per_return", round((metricSum(service, "returnbridge_jobs_seconds_count")
                - runsBefore) / n));
        r.put("drain_cpu_s_per_return", Math.round((service.cpuSeconds() - cpuBefore) / n * 10_000) / 10_000.0);
        r.put("drain_returns", n);
        r.put("drain_rmas_created", created);
        r.put("drain_s", round(seconds));
        r.put("drain_credits_spent", credits);
        r.put("drain_credits_min", perReturn * n);
        r.put("drain_min_s", round(minimumSeconds));
        r.put("drain_min_after_bucket_s", round(Math.max(0, perReturn * n - config.bucket()) / config.refill()));
        r.put("drain_ratio", round(seconds / minimumSeconds));
        r.put("drain_requests_per_return", round(shiphero.path("totalRequests").asDouble() / n));
        r.put("drain_throttled_answers", shiphero.path("throttled").asLong());
        r.put("drain_throttle_waits", throttleWaits);
        r.put("throttle_failures", attention + retries + failing + (n - created - attention));
        log("drain: " + created + "/" + n + " RMAs in " + round(seconds) + " s (minimum " + round(minimumSeconds)
                + " s), credits " + credits + " (min " + perReturn * n + "), throttled answers "
                + shiphero.path("throttled").asLong() + ", attention " + attention + ", retries " + retries);
    }

    // ------------------------------------------------------------------------------------------------ credits

    /**
     * Each of the project's GraphQL documents run once against the simulator (in this JVM, credit model on) on
     * the data the flow sees: an order like the demo's, its new RMA, then its close. The complexity charged is the
     * minimum for that operation.
     */
    static Map<String, Long> probeDocumentCosts() throws Exception {
        try (SandboxWebhookSender webhooks = new SandboxWebhookSender(Duration.ofSeconds(1))) {
            SandboxShipHero shiphero = new SandboxShipHero(webhooks);
            String token = shiphero.issueAccessToken();
            shiphero.createOrder("5900000000001", "#1001", "demo-shop.myshopify.com", null,
                    new LinkedHashMap<>(Map.of("TEE-BLK-M", 1, "GIFT-CARD-1", 1)));
            Map<String, Long> costs = new LinkedHashMap<>();
            Map<String, Object> vars = new HashMap<>();
            vars.put("partnerOrderId", "5900000000001");
            vars.put("customerAccountId", null);
            JsonNode found = probe(shiphero, token, "FindOrdersByPartnerOrderId", vars, "orders", costs);
            String orderId = found.path("data").path("edges").get(0).path("node").path("id").asString();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("order_id", orderId);
            data.put("warehouse_id", shiphero.warehouseId());
            data.put("return_reason", "Loop return 1");
            data.put("label_type", "FREE");
            data.put("label_cost", "0.00");
            data.put("address", Map.of("name", "Sam Shopper", "address1", "1 Main St", "city", "Springfield",
                    "state", "IL", "country", "US", "zip", "62701"));
            data.put("dimensions", Map.of("weight", "16"));
            data.put("shipping_carrier", "other");
            data.put("shipping_method", "ground");
            data.put("line_items", List.of(Map.of("sku", "TEE-BLK-M", "quantity", 1, "return_reason", "Too small")));
            data.put("create_label", false);
            data.put("partner_id", "1");
            JsonNode created = probe(shiphero, token, "CreateReturn", Map.of("data", data), "return_create", costs);
            String rmaId = created.path("return").path("id").asString();
            shiphero.receive(rmaId, Map.of("TEE-BLK-M", 1), "Warehouse Complete");
            probe(shiphero, token, "GetReturn", Map.of("id", rmaId), "return", costs);
            probe(shiphero, token, "UpdateReturnStatus",
                    Map.of("data", Map.of("return_id", rmaId, "status", "Complete")), "return_update_status", costs);
            return costs;
        }
    }

    private static JsonNode probe(SandboxShipHero shiphero, String token, String document, Map<String, Object> vars,
                                  String field, Map<String, Long> costs) throws IOException {
        String query;
        try (InputStream in = Bench.class.getResourceAsStream("/shiphero/" + document + ".graphql")) {
            query = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SandboxShipHero.GraphQlAnswer answer = shiphero.execute(token, query, vars);
        JsonNode result = JSON.readTree(answer.body()).path("data").path(field);
        if (answer.status() != 200 || result.isMissingNode() || result.isNull()) {
            throw new IllegalStateException(document + " failed in the simulator: " + answer.body());
        }
        costs.put(document, result.path("complexity").asLong());
        return result;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private long newReturn() throws Exception {
        JsonNode created = JSON.readTree(control("POST", "/returns",
                "{\"count\":1,\"items\":[{\"sku\":\"TEE-BLK-M\",\"count\":1}]}"));
        return created.get(0).path("loopReturnId").asLong();
    }

    private void receive(long loopReturnId) throws Exception {
        control("POST", "/returns/" + loopReturnId + "/receive",
                "{\"status\":\"Warehouse Complete\",\"received\":\"all\"}");
    }

    private String control(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.url("/sandbox/control" + path)))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json");
        b = json == null ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("sandbox control " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static final Pattern TIMER = Pattern.compile(
            "^returnbridge_vendor_calls_seconds_(sum|count)\\{(.*)}\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** vendor/operation → {sum seconds, count}, all outcomes. */
    private Map<String, double[]> vendorTimers(BenchProcess service) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service.url("/actuator/prometheus")))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))).GET().build();
        String text = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Map<String, double[]> out = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = TIMER.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            double[] v = out.computeIfAbsent(labels.get("vendor") + "/" + labels.get("operation"), k -> new double[2]);
            v[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
        }
        return out;
    }

    /** The sum of every series of one Prometheus metric (all labels), as the service reports it now. */
    private double metricSum(BenchProcess service, String metric) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service.url("/actuator/prometheus")))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))).GET().build();
        double sum = 0;
        for (String line : http.send(request, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
            if (metric.contains("{") ? line.startsWith(metric)
                    : line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Mean round-trip in ms of one vendor operation between two readings of the timers. */
    private static double mean(Map<String, double[]> before, Map<String, double[]> after, String key) {
        double[] a = after.getOrDefault(key, new double[2]);
        double[] b = before.getOrDefault(key, new double[2]);
        double count = a[1] - b[1];
        return count == 0 ? Double.NaN : (a[0] - b[0]) / count * 1000;
    }

    private static final List<String> STEPS = List.of("received_to_routed", "routed_to_first_call", "vendor_calls",
            "last_call_to_recorded");

    /** One return's step durations (nanos), added to the per-step lists. */
    private static void addSteps(Map<String, List<Long>> byStep, Instant[] t) {
        for (int i = 0; i < STEPS.size(); i++) {
            if (t[i] != null && t[i + 1] != null) {
                byStep.computeIfAbsent(STEPS.get(i), k -> new ArrayList<>())
                        .add(Duration.between(t[i], t[i + 1]).toNanos());
            }
        }
    }

    /** The driver's own connection to the service's database (H2 through its auto-server, or PostgreSQL). */
    private record Db(Connection jdbc) {

        /**
         * Where the time of one path went, from the service's own records: the delivery that started it arrived
         * (received_at) and was routed (routed_at), the first and the end of the last vendor call the path made for
         * the return (vendor_call), and the timeline entry that ends it. Null when the delivery is not found.
         */
        Instant[] steps(String loopReturnId, String source, String bodyContains, String vendor, Instant recorded)
                throws SQLException {
            if (recorded == null) {
                return null;
            }
            String subject = source.equals("LOOP") ? loopReturnId : null;
            if (subject == null) {
                try (PreparedStatement ps = jdbc.prepareStatement("SELECT shiphero_return_id FROM return_link "
                        + "WHERE connection_id = 'sandbox' AND loop_return_id = ?")) {
                    ps.setString(1, loopReturnId);
                    try (ResultSet rs = ps.executeQuery()) {
                        subject = rs.next() ? rs.getString(1) : null;
                    }
                }
            }
            Instant received = null;
            Instant routed = null;
            try (PreparedStatement ps = jdbc.prepareStatement("SELECT received_at, routed_at FROM delivery "
                    + "WHERE connection_id = 'sandbox' AND source = ? AND subject_id = ?"
                    + (bodyContains != null ? " AND body LIKE ?" : "") + " ORDER BY id FETCH FIRST 1 ROWS ONLY")) {
                ps.setString(1, source);
                ps.setString(2, subject);
                if (bodyContains != null) {
                    ps.setString(3, "%" + bodyContains + "%");
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    received = rs.getObject(1, OffsetDateTime.class).toInstant();
                    OffsetDateTime r = rs.getObject(2, OffsetDateTime.class);
                    routed = r == null ? null : r.toInstant();
                }
            }
            Instant first = null;
            Instant lastEnd = null;
            try (PreparedStatement ps = jdbc.prepareStatement("SELECT started_at, duration_ms FROM vendor_call "
                    + "WHERE connection_id = 'sandbox' AND loop_return_id = ? AND started_at >= ? AND started_at <= ? "
                    + "ORDER BY started_at")) {
                ps.setString(1, loopReturnId);
                ps.setObject(2, OffsetDateTime.ofInstant(received, ZoneOffset.UTC));
                ps.setObject(3, OffsetDateTime.ofInstant(recorded, ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant started = rs.getObject(1, OffsetDateTime.class).toInstant();
                        first = first == null ? started : first;
                        lastEnd = started.plusMillis(rs.getLong(2));
                    }
                }
            }
            return new Instant[] {received, routed, first, lastEnd, recorded};
        }

        long scalar(String sql) throws SQLException {
            try (Statement s = jdbc.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        void awaitState(long loopReturnId, String state, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            try (PreparedStatement ps = jdbc.prepareStatement(
                    "SELECT state FROM return_link WHERE connection_id = 'sandbox' AND loop_return_id = ?")) {
                ps.setString(1, String.valueOf(loopReturnId));
                while (System.nanoTime() < deadline) {
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && state.equals(rs.getString(1))) {
                            return;
                        }
                    }
                    Thread.sleep(5);
                }
            }
            throw new IllegalStateException("return " + loopReturnId + " did not reach " + state + " in " + timeout);
        }

        /**
         * Until no job is queued (throttled jobs waiting for credits count as queued) and the inbox has no delivery
         * left to route (answered deliveries start their jobs after the answer).
         */
        void awaitQueueEmpty(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (scalar(UNROUTED) == 0 && scalar(QUEUED_JOBS) == 0) {
                    return;
                }
                Thread.sleep(50);
            }
            log("job queue not empty after " + timeout + " (" + scalar(QUEUED_JOBS)
                    + " left, " + scalar(UNROUTED) + " deliveries not routed); going on");
        }
    }

    static Path findJar() {
        String explicit = System.getProperty("bench.jar");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "returnbridge-*.jar")) {
            for (Path jar : jars) {
                return jar.toAbsolutePath();
            }
        } catch (IOException e) {
            // fall through
        }
        throw new IllegalStateException("no target/returnbridge-*.jar: run mvn package first (mvn -Pbench verify "
                + "does), or pass -Dbench.jar=…");
    }

    private static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            // not Linux
        }
        long memMb = -1;
        try {
            memMb = Long.parseLong(Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D", "")) / 1024;
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memMb + " MB RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version");
    }

    // ------------------------------------------------------------------------------------------------ report

    /** The results as a Markdown table: measured next to its baseline, and the target. */
    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> results) {
        Map<String, Map<String, Object>> dbs = (Map<String, Map<String, Object>>) results.get("databases");
        List<String> names = new ArrayList<>(dbs.keySet());
        StringBuilder t = new StringBuilder();
        t.append("| measure | ").append(String.join(" | ", names.stream().map(n -> n.equals("h2") ? "H2"
                : n.equals("postgres") ? "PostgreSQL" : n).toList())).append(" | target |\n|---|");
        names.forEach(n -> t.append("---|"));
        t.append("---|\n");
        row(t, dbs, names, "webhook ack p50 / p99 at 100/s (ms)", d -> d.get("ack_p50_ms_at_100") + " / "
                + d.get("ack_p99_ms_at_100"), "");
        row(t, dbs, names, "webhook ack p50 / p99 at 500/s (ms)", d -> d.get("ack_p50_ms_at_500") + " / "
                + d.get("ack_p99_ms_at_500"), "p99 < 50");
        row(t, dbs, names, "webhook ack p50 / p99 at 1,000/s (ms)", d -> d.get("ack_p50_ms_at_1000") + " / "
                + d.get("ack_p99_ms_at_1000"), "");
        row(t, dbs, names, "highest offered rate held with p99 < 50 ms (/s)",
                d -> String.valueOf(d.get("ack_max_rate_p99_under_50ms")), "≥ 1,000 on PostgreSQL");
        row(t, dbs, names, "sustained intake / raw insert+commit ceiling (/s)", d -> d.get("intake_per_s") + " / "
                + d.get("raw_insert_per_s") + " = **" + d.get("intake_ratio") + "**", "≥ 1.0");
        row(t, dbs, names, "sustained intake / bare one-row endpoint, same stack (/s)", d -> d.get("intake_per_s")
                + " / " + d.get("bare_http_per_s") + " = **" + d.get("intake_http_ratio") + "**", "≥ 0.8");
        row(t, dbs, names, "webhook → RMA created p50 / p99 (ms), floor", d -> d.get("e2e_create_p50_ms") + " / "
                + d.get("e2e_create_p99_ms") + ", floor " + d.get("e2e_create_floor_ms") + " → **"
                + d.get("e2e_create_p50_ratio") + "×**", "p50 ≤ 1.2× floor");
        row(t, dbs, names, "status webhook → Loop action p50 / p99 (ms), floor", d -> d.get("e2e_action_p50_ms")
                + " / " + d.get("e2e_action_p99_ms") + ", floor " + d.get("e2e_action_floor_ms") + " → **"
                + d.get("e2e_action_p50_ratio") + "×**", "p50 ≤ 1.2× floor");
        row(t, dbs, names, "end to end, p50 of each step (ms): received → routed → first vendor call → last call "
                + "done → recorded", d -> "create " + d.get("e2e_create_steps_p50_ms") + "; action "
                + d.get("e2e_action_steps_p50_ms"), "");
        row(t, dbs, names, "ShipHero credits per lifecycle / minimum", d -> d.get("credits_per_lifecycle") + " / "
                + d.get("credits_per_lifecycle_min") + " = **" + d.get("credits_per_lifecycle_ratio") + "**", "≤ 1.05");
        row(t, dbs, names, "ShipHero requests per lifecycle / minimum", d -> d.get("shiphero_requests_per_lifecycle_total")
                + " / " + d.get("shiphero_requests_per_lifecycle_min") + " " + d.get("shiphero_requests_per_lifecycle"), "");
        row(t, dbs, names, "Loop requests per return", d -> String.valueOf(d.get("loop_requests_per_return")), "");
        row(t, dbs, names, "backlog drain (s) / credit-bound minimum (s)", d -> d.containsKey("drain_s")
                ? d.get("drain_returns") + " returns: " + d.get("drain_s") + " / " + d.get("drain_min_s") + " = **"
                + d.get("drain_ratio") + "** (minimum less the full bucket: " + d.get("drain_min_after_bucket_s")
                + " s)" : "–", "≤ 1.05");
        row(t, dbs, names, "drain: credits spent / minimum; throttled answers (waited); failures", d ->
                d.containsKey("drain_s") ? d.get("drain_credits_spent") + " / " + d.get("drain_credits_min") + "; "
                        + d.get("drain_throttled_answers") + " (" + d.get("drain_throttle_waits") + "); **"
                        + d.get("throttle_failures") + "**" : "–", "0 failures");
        row(t, dbs, names, "drain: ShipHero requests per return", d -> d.containsKey("drain_s")
                ? String.valueOf(d.get("drain_requests_per_return")) : "–", "");
        row(t, dbs, names, "drain: wake-ups for credits per return; job runs per return; service CPU s per return",
                d -> d.containsKey("drain_wakeups_per_return") ? "**" + d.get("drain_wakeups_per_return") + "**; "
                        + d.get("drain_job_runs_per_return") + "; " + d.get("drain_cpu_s_per_return") : "–",
                "wake-ups ≤ 2");
        row(t, dbs, names, "jobs/s: service / bare db-scheduler no-op, same database", BenchJobs::cell,
                "≥ 0.5 on PostgreSQL");
        row(t, dbs, names, "service peak RSS (MB), -Xmx" + ((Map<String, Object>) results.get("config"))
                .get("service_xmx"), d -> String.valueOf(d.get("peak_rss_mb")), "< 400");
        row(t, dbs, names, "service start-up to health 200 (s)", d -> String.valueOf(d.get("startup_s")), "");
        if (results.get("startup") instanceof Map<?, ?> startup && startup.containsKey("startup_ratio")) {
            t.append("\nStart-up to health 200 (H2, sandbox; medians): class data archive ")
                    .append(startup.get("startup_cds_s")).append(" s ÷ plain jar ").append(startup.get("startup_plain_s"))
                    .append(" s = **").append(startup.get("startup_ratio")).append("** (target ≤ 0.6)\n");
        }
        BenchSweep.table(results, t);
        return t.toString();
    }

    private static void row(StringBuilder t, Map<String, Map<String, Object>> dbs, List<String> names, String label,
                            java.util.function.Function<Map<String, Object>, String> cell, String target) {
        t.append("| ").append(label).append(" | ");
        for (String n : names) {
            t.append(cell.apply(dbs.get(n))).append(" | ");
        }
        t.append(target).append(" |\n");
    }

    // ------------------------------------------------------------------------------------------------ small

    static void log(String message) {
        System.out.println("bench " + Instant.now().toString().substring(11, 19) + " " + message);
    }

    static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 100) / 100.0 : value;
    }

    /**
     * Distinct free ports, all held open until each is known: asked for one at a time, the system may hand out the
     * same port twice, and then the "service" answering its health check is the sandbox.
     */
    private static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    private static int intProp(String name, int fallback) {
        return Integer.parseInt(System.getProperty(name, String.valueOf(fallback)).trim());
    }

    private static double doubleProp(String name, double fallback) {
        return Double.parseDouble(System.getProperty(name, String.valueOf(fallback)).trim());
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .toList();
    }
}
