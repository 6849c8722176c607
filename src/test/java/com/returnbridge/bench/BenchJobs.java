package com.returnbridge.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.returnbridge.database.DurableH2;
import com.returnbridge.vendor.Signatures;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jobs at the scheduler's speed (issue 11 §4): the service's own jobs per second against a bare db-scheduler with
 * a no-op task on the same database in the same run.
 *
 * <p>Bare: the pom's db-scheduler with default settings plus the service's thread count and polling interval (and,
 * on PostgreSQL, {@code pollUsingLockAndFetch(0.5, 1.0)} as the service uses), in this driver's JVM, on a table of
 * its own ({@code bench_scheduled_tasks}) in the service's PostgreSQL database; on H2 in a durable H2 file of its own
 * (the service's H2 file belongs to the service process), with the durability the service applies.
 *
 * <p>Service: {@code n} signed Loop {@code return.created} deliveries to the benchmark's second connection, whose
 * create-RMA job settles locally (no warehouse: a person is asked) — one job per delivery, no vendor call, so what
 * is measured is the job path itself; the sandbox answers at once meanwhile. Completions are the links settled
 * (counted in the database); {@code returnbridge_jobs_seconds_count} tells how many job runs each took. The
 * driver's own scrapes stay few: each one is a Basic-auth password check (BCrypt) in the service.
 *
 * <p>Both rates are taken between 10% and 90% of the executions done (the ramp-up and the tail left out).
 */
final class BenchJobs {

    /** Sets the sandbox's per-call latency (ms). */
    interface Latency {
        void set(int millis) throws Exception;
    }

    private static final HttpClient HTTP = BenchLoad.client(4);
    private static final Pattern JOBS = Pattern.compile("^returnbridge_jobs_seconds_count\\{.*}\\s+(\\S+)$");
    private static final AtomicLong IDS = new AtomicLong(800_000_000_000L + System.currentTimeMillis() % 1_000_000
            * 1000);

    private BenchJobs() {
    }

    /** Executions for the quick size or the full one ({@code bench.jobs}). */
    static int size() {
        int n = Integer.getInteger("bench.jobs", 0); // 0: the pom's "not set"
        return n > 0 ? n : Boolean.getBoolean("bench.quick") ? 2000 : 5000;
    }

    /**
     * Both measurements on one database; keys {@code jobs_per_s_bare}, {@code jobs_per_s_service},
     * {@code job_throughput_ratio} (and the details) into the returned map.
     */
    static Map<String, Object> measure(String db, String jdbcUrl, String user, Path work, BenchProcess service,
                                       Connection jdbc, String adminPassword, String loopSecret, Latency latency) throws Exception {
        int n = size();
        int threads = Integer.parseInt(serviceDefault("threads"));
        Duration pollingInterval = Duration.parse(serviceDefault("pollingInterval"));
        Map<String, Object> r = new LinkedHashMap<>();
        boolean postgres = jdbcUrl.startsWith("jdbc:postgresql:");
        String bareUrl = postgres ? jdbcUrl
                : DurableH2.durable("jdbc:h2:file:" + work.resolve("h2-jobs-" + UUID.randomUUID()).resolve("jobs"));
        double bare = bare(bareUrl, user, postgres, n, threads, pollingInterval, r);
        Bench.log(db + ": bare db-scheduler no-op: " + Bench.round(bare) + " executions/s");
        latency.set(0);
        double ours;
        try {
            ours = service(service, jdbc, adminPassword, loopSecret, n, r);
        } finally {
            latency.set(-1);
        }
        Bench.log(db + ": service jobs: " + Bench.round(ours) + "/s");
        r.put("jobs_per_s_bare", Bench.round(bare));
        r.put("jobs_per_s_service", Bench.round(ours));
        r.put("job_throughput_ratio", Bench.round(ours / bare));
        r.put("jobs_n", n);
        return r;
    }

    /** {@code -Dbench.jobs-only}: the job phase alone on each database (after the warm-up), for a first look. */
    static boolean only() {
        return Boolean.getBoolean("bench.jobs-only");
    }

    /** The headline keys: {@code job_throughput_ratio_pg/_h2}, {@code jobs_per_s_service_*}, {@code jobs_per_s_bare_*}. */
    static void summarise(Map<String, Object> results, Map<String, Object> perDatabase) {
        for (String db : List.of("h2", "postgres")) {
            Map<?, ?> d = (Map<?, ?>) perDatabase.getOrDefault(db, Map.of());
            String suffix = db.equals("postgres") ? "_pg" : "_h2";
            for (String key : List.of("job_throughput_ratio", "jobs_per_s_service", "jobs_per_s_bare")) {
                results.put(key + suffix, d.containsKey(key) ? d.get(key) : Double.NaN);
            }
        }
    }

    static String cell(Map<String, Object> d) {
        return d.containsKey("job_throughput_ratio") ? d.get("jobs_per_s_service") + " / " + d.get("jobs_per_s_bare")
                + " = **" + d.get("job_throughput_ratio") + "**" : "–";
    }

    /** The service's own default for a scheduler setting (JobProperties), so the bare scheduler runs the same. */
    private static String serviceDefault(String component) {
        var components = com.returnbridge.jobs.JobProperties.class.getRecordComponents();
        var types = java.util.Arrays.stream(components).map(c -> c.getType()).toArray(Class<?>[]::new);
        try {
            var parameters = com.returnbridge.jobs.JobProperties.class.getDeclaredConstructor(types).getParameters();
            for (int i = 0; i < components.length; i++) {
                if (components[i].getName().equals(component)) {
                    return parameters[i].getAnnotation(
                            org.springframework.boot.context.properties.bind.DefaultValue.class).value()[0];
                }
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("JobProperties has no " + component);
    }

    // ------------------------------------------------------------------------------------------------ bare

    static double bare(String url, String user, boolean postgres, int n, int threads, Duration pollingInterval,
                       Map<String, Object> r) throws Exception {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword("");
        hc.setMaximumPoolSize(threads + 4);
        try (HikariDataSource ds = new HikariDataSource(hc)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS bench_scheduled_tasks");
                s.execute("""
                        CREATE TABLE bench_scheduled_tasks (
                            task_name VARCHAR(100) NOT NULL, task_instance VARCHAR(250) NOT NULL,
                            task_data BYTEA, execution_time TIMESTAMP WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL,
                            picked_by VARCHAR(50), last_success TIMESTAMP WITH TIME ZONE,
                            last_failure TIMESTAMP WITH TIME ZONE, consecutive_failures INT,
                            last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL, priority SMALLINT,
                            PRIMARY KEY (task_name, task_instance))""");
                s.execute("CREATE INDEX bench_execution_time_idx ON bench_scheduled_tasks (execution_time)");
                s.execute("CREATE INDEX bench_last_heartbeat_idx ON bench_scheduled_tasks (last_heartbeat)");
            }
            OneTimeTask<Void> noop = Tasks.oneTime("bench-noop").execute((instance, context) -> {
            });
            var builder = Scheduler.create(ds, noop).tableName("bench_scheduled_tasks").threads(threads)
                    .pollingInterval(pollingInterval).registerShutdownHook();
            if (postgres) {
                builder.pollUsingLockAndFetch(0.5, 1.0);
            }
            Scheduler scheduler = builder.build();
            Instant now = Instant.now();
            for (int i = 0; i < n; i++) {
                scheduler.schedule(noop.instance("n" + i), now);
            }
            try (Connection c = ds.getConnection()) {
                LongSupplier done = () -> n - count(c, "SELECT COUNT(*) FROM bench_scheduled_tasks");
                scheduler.start();
                double rate = rate(done, n, Duration.ofMinutes(5), r, "bare");
                return rate;
            } finally {
                scheduler.stop();
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS bench_scheduled_tasks");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ service

    /**
     * The connection is paused while the deliveries come in (each job runs once, finds it paused and waits), so the
     * backlog is all there when the resume wakes it: what is timed is the jobs draining, not the intake feeding them.
     */
    static double service(BenchProcess service, Connection db, String adminPassword, String loopSecret, int n,
                          Map<String, Object> r) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + adminPassword)
                .getBytes(StandardCharsets.UTF_8));
        String settled = "SELECT COUNT(*) FROM return_link WHERE connection_id = 'bench' AND state = 'NEEDS_ATTENTION'";
        api(service, auth, "/api/connections/bench/pause");
        long runsBefore = jobRuns(service, auth);
        long settledBefore = count(db, settled);
        List<HttpRequest> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] body = Bench.loopBody(IDS.incrementAndGet());
            requests.add(HttpRequest.newBuilder(URI.create(service.url("/webhooks/loop/bench")))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("X-Loop-Signature", Signatures.sign(loopSecret, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        }
        BenchLoad.OpenResult sent = BenchLoad.open(HTTP, requests, 1000);
        r.put("jobs_service_deliveries_per_s", Bench.round(sent.achievedPerSecond()));
        r.put("jobs_service_delivery_errors", sent.errors());
        // Every delivery routed and its job parked by the pause (run once, waiting for a minute).
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && (count(db, Bench.UNROUTED) > 0 || count(db, """
                SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'create-rma'
                   AND (picked OR execution_time < CURRENT_TIMESTAMP)""") > 0)) {
            Thread.sleep(100);
        }
        long parkedRuns = jobRuns(service, auth) - runsBefore;
        long started = System.nanoTime();
        Thread resume = new Thread(() -> {
            api(service, auth, "/api/connections/bench/resume");
            r.put("jobs_service_resume_s", Bench.round((System.nanoTime() - started) / 1e9));
        });
        resume.start();
        double rate = rate(() -> count(db, settled) - settledBefore, n, Duration.ofMinutes(10), r, "service");
        resume.join();
        r.put("jobs_service_runs_per_delivery", Bench.round((jobRuns(service, auth) - runsBefore - parkedRuns)
                / (double) n));
        return rate;
    }

    private static void api(BenchProcess service, String auth, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.url(path)))
                    .timeout(Duration.ofMinutes(5)).header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long jobRuns(BenchProcess service, String auth) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(service.url("/actuator/prometheus")))
                    .header("Authorization", auth).GET().build();
            String text = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            double total = 0;
            for (String line : text.split("\n")) {
                Matcher m = JOBS.matcher(line);
                if (m.matches()) {
                    total += Double.parseDouble(m.group(1));
                }
            }
            return (long) total;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the service's job counts", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ rate

    /** Executions per second between 10% and 90% of {@code n} done, sampled until all are done. */
    private static double rate(LongSupplier done, int n, Duration timeout, Map<String, Object> r, String what)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long low = Math.max(1, n / 10);
        long high = Math.max(low + 1, n * 9L / 10);
        double tLow = Double.NaN;
        double tHigh = Double.NaN;
        long last = 0;
        double tLast = 0;
        while (System.nanoTime() < deadline) {
            long d = done.getAsLong();
            double t = (System.nanoTime() - start) / 1e9;
            if (Double.isNaN(tLow) && d >= low) {
                tLow = interpolate(tLast, last, t, d, low);
            }
            if (Double.isNaN(tHigh) && d >= high) {
                tHigh = interpolate(tLast, last, t, d, high);
            }
            last = d;
            tLast = t;
            if (d >= n) {
                break;
            }
            Thread.sleep(what.equals("bare") ? 20 : 200);
        }
        r.put("jobs_" + what + "_total_s", Bench.round(tLast));
        r.put("jobs_" + what + "_done", last);
        if (Double.isNaN(tHigh)) {
            Bench.log("jobs (" + what + "): only " + last + " of " + n + " done after " + timeout);
            return last / tLast;
        }
        return (high - low) / Math.max(1e-3, tHigh - tLow);
    }

    private static double interpolate(double t0, long d0, double t1, long d1, long target) {
        return d1 == d0 ? t1 : t0 + (t1 - t0) * (target - d0) / (double) (d1 - d0);
    }

    private static long count(Connection c, String sql) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
