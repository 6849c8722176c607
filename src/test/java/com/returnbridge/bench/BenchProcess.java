package com.returnbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged service (or the sandbox) as a separate JVM: started, watched until healthy, measured, stopped. */
final class BenchProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    private final Process process;
    private final long startedNanos;
    private final Path log;
    private double startupSeconds = Double.NaN;

    private BenchProcess(String name, int port, Process process, long startedNanos, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.startedNanos = startedNanos;
        this.log = log;
    }

    static BenchProcess start(String name, Path jar, String xmx, int port, List<String> args, Path logDir)
            throws IOException {
        return start(name, List.of(), jar, xmx, port, args, logDir, null);
    }

    /** As above, with JVM options before {@code -jar} (a class data archive, say). */
    static BenchProcess start(String name, List<String> jvmOptions, Path jar, String xmx, int port, List<String> args,
                              Path logDir) throws IOException {
        return start(name, jvmOptions, jar, xmx, port, args, logDir, null);
    }

    /**
     * With {@code extraClasses}: the same jar through Spring Boot's PropertiesLauncher with that directory on its
     * loader path (the benchmark's own endpoints, {@code bench.bare}), so they run in the service's process.
     */
    static BenchProcess start(String name, List<String> jvmOptions, Path jar, String xmx, int port, List<String> args,
                              Path logDir, Path extraClasses) throws IOException {
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(jvmOptions);
        if (extraClasses == null) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-Dloader.path=" + extraClasses, "-cp", jar.toString(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher"));
        }
        command.add("--server.port=" + port);
        command.addAll(args);
        Path log = logDir.resolve(name + ".log");
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // An interrupted benchmark must not leave its service or sandbox running.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        return new BenchProcess(name, port, p, started, log);
    }

    /** Seconds from process start to the first {@code /actuator/health} answering 200. */
    double awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url("/actuator/health")))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    startupSeconds = (System.nanoTime() - startedNanos) / 1e9;
                    return startupSeconds;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " not healthy after " + timeout + "; see " + log);
    }

    double startupSeconds() {
        return startupSeconds;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits for the process to end by itself (a training run that exits after start-up). */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not exit within " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    long pid() {
        return process.pid();
    }

    /** Peak resident set size so far (VmHWM), in MiB. */
    double peakRssMb() {
        return statusKb("VmHWM:") / 1024.0;
    }

    /** CPU time the process has used so far (user + system), in seconds; NaN when it cannot be read. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted after the command name
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone or not Linux
        }
        return -1;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
