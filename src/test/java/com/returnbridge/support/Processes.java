package com.returnbridge.support;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.json.JsonMapper;
import org.awaitility.Awaitility;

/**
 * The packaged service as separate processes (for the crash and multi-instance tests): started from the jar on
 * 127.0.0.1 and free ports, killed with SIGKILL on demand, and always killed at the end (close, and a shutdown hook).
 */
public final class Processes implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "pw";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final Path logs;
    private final Thread hook = new Thread(this::killAll, "kill-test-processes");

    public Processes(Path logs) {
        this.logs = logs;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static String jar() {
        String jar = System.getProperty("returnbridge.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("returnbridge.jar (the packaged service) not found: " + jar
                    + "; these tests run in `mvn verify` after `package`");
        }
        return jar;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code java -jar} with these arguments, bound to 127.0.0.1:port; output to {@code <name>.log}. */
    public Process start(String name, int port, List<String> args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx320m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar(),
                "--server.address=127.0.0.1", "--server.port=" + port, "--returnbridge.admin.password=" + ADMIN_PASSWORD,
                "--logging.level.com.returnbridge=WARN"));
        command.addAll(args);
        try {
            File log = logs.resolve(name + ".log").toFile();
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
            started.add(p);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Awaits /actuator/health UP (the machine may be loaded: up to two minutes); a process that dies fails at once. */
    public static void awaitUp(Process p, int port) {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(3)).build();
        Awaitility.await("process on port " + port + " up").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300)).pollInSameThread()
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("process on port " + port + " died at start: exit "
                                + p.exitValue());
                    }
                    HttpResponse<String> r = HTTP.send(health, HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 && r.body().contains("UP");
                });
    }

    /** SIGKILL: no shutdown hook, no graceful stop, in-flight work lost mid-way. */
    public static void kill(Process p) {
        p.destroyForcibly();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void killAll() {
        for (Process p : started) {
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already
        }
    }

    // ---------------------------------------------------------------- HTTP with the admin login

    public static Object call(String method, String url, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                            .getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isBlank() ? null : JSON.readValue(r.body(), Object.class);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> summary(int sandboxPort) {
        return (Map<String, Object>) call("GET", "http://127.0.0.1:" + sandboxPort + "/sandbox/control/summary", null);
    }

    /** The service's link state per Loop return id. */
    @SuppressWarnings("unchecked")
    public static Map<Long, String> linkStates(int servicePort) {
        List<Map<String, Object>> links = (List<Map<String, Object>>) call("GET", "http://127.0.0.1:" + servicePort
                + "/api/returns?connection=sandbox&limit=500", null);
        Map<Long, String> out = new java.util.HashMap<>();
        for (Map<String, Object> l : links) {
            out.put(Long.parseLong(String.valueOf(l.get("loopReturnId"))), String.valueOf(l.get("state")));
        }
        return out;
    }

    /** The arguments that point a service process at the stand-alone sandbox on {@code sandboxPort}. */
    public static List<String> connectionTo(int sandboxPort) {
        String base = "http://127.0.0.1:" + sandboxPort;
        String c = "--returnbridge.connections.sandbox.";
        return List.of(c + "loop.base-url=" + base + "/sandbox/loop/api/v1", c + "loop.api-key=sandbox-loop-api-key",
                c + "loop.webhook-secret=sandbox-loop-webhook-secret", c + "shiphero.base-url=" + base + "/sandbox/shiphero",
                c + "shiphero.refresh-token=sandbox-shiphero-refresh-token",
                c + "shiphero.webhook-secret=sandbox-shiphero-webhook-secret",
                c + "shiphero.warehouse-id=V2FyZWhvdXNlOjExNzkw");
    }

    /** Quick retries and sweeps, so a test run takes minutes, not hours. */
    public static List<String> fastJobs() {
        return fastJobs(Duration.ofSeconds(5));
    }

    public static List<String> fastJobs(Duration reconcileInterval) {
        return List.of("--returnbridge.jobs.heartbeat=PT1S", "--returnbridge.jobs.first-retry=PT0.2S",
                "--returnbridge.jobs.max-retry=PT2S", "--returnbridge.jobs.polling-interval=PT1S",
                "--returnbridge.jobs.uncertain-write-settle=PT2S", "--returnbridge.http.read=PT3S",
                "--returnbridge.jobs.processing-confirm-after=PT3S",
                "--returnbridge.reconcile.interval=" + reconcileInterval, "--returnbridge.reconcile.overlap=PT2M");
    }
}
