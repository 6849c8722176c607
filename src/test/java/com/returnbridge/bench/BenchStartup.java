package com.returnbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Start-up to health 200, the same service with and without what the JDK and Spring Boot give for it, in one run:
 * the jar as built ({@code java -jar}) against the jar extracted by Spring Boot's tools ({@code -Djarmode=tools
 * extract}) with a class data archive from a training run ({@code -XX:ArchiveClassesAtExit} with
 * {@code -Dspring.context.exit=onRefresh}). Rounds alternate the two so a load change hits both alike; medians
 * are compared. Each start gets a fresh H2 file database, so both pay the migrations.
 */
final class BenchStartup {

    private final Path jar;
    private final Path work;
    private final String xmx;
    private final int port;

    BenchStartup(Path jar, Path work, String xmx, int port) {
        this.jar = jar;
        this.work = work.toAbsolutePath().resolve("startup");
        this.xmx = xmx;
        this.port = port;
    }

    /** Only this phase: {@code bench.startup-rounds} rounds (default 3) against the packaged jar. */
    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.startup-rounds", 3);
        Path jar = Bench.findJar();
        System.out.println(new BenchStartup(jar, Path.of("target/bench/run"), System.getProperty("bench.xmx", "256m"),
                Integer.getInteger("bench.port", 18765)).measure(rounds));
        System.exit(0);
    }

    /** {@code startup_plain_s}, {@code startup_cds_s} (medians), {@code startup_ratio} and every round's figure. */
    Map<String, Object> measure(int rounds) throws Exception {
        Files.createDirectories(work);
        Path extracted = extract();
        Path archive = work.resolve("returnbridge.jsa");
        train(extracted, archive);
        List<Double> plain = new ArrayList<>();
        List<Double> cds = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            plain.add(startOnce("plain-" + i, List.of(), jar));
            cds.add(startOnce("cds-" + i, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=error"), extracted));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("startup_plain_s", Bench.round(median(plain)));
        r.put("startup_cds_s", Bench.round(median(cds)));
        r.put("startup_ratio", Bench.round(median(cds) / median(plain)));
        r.put("startup_rounds_plain_s", plain.stream().map(Bench::round).toList());
        r.put("startup_rounds_cds_s", cds.stream().map(Bench::round).toList());
        return r;
    }

    private Path extract() throws IOException, InterruptedException {
        Path destination = work.resolve("extracted");
        Process p = new ProcessBuilder(BenchProcess.java(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
                "--force", "--destination", destination.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("extract.log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jar extraction failed; see " + work.resolve("extract.log"));
        }
        return destination.resolve(jar.getFileName());
    }

    /** Starts the application context once and exits, writing the classes it loaded to {@code archive}. */
    private void train(Path extracted, Path archive) throws Exception {
        Files.deleteIfExists(archive);
        try (BenchProcess training = BenchProcess.start("startup-training",
                List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-Xlog:cds=error"),
                extracted, xmx, port, arguments(), work.resolve("logs"))) {
            int exit = training.awaitExit(Duration.ofMinutes(5));
            if (exit != 0) {
                throw new IllegalStateException("the training run exited with " + exit + "; see " + work.resolve("logs"));
            }
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training run wrote no class data archive; see "
                    + work.resolve("logs"));
        }
    }

    private double startOnce(String name, List<String> jvmOptions, Path runJar) throws Exception {
        try (BenchProcess service = BenchProcess.start("startup-" + name, jvmOptions, runJar, xmx, port, arguments(),
                work.resolve("logs"))) {
            return service.awaitHealthy(Duration.ofMinutes(3));
        }
    }

    /** The service as a newcomer first runs it: the sandbox vendors, a fresh embedded H2 file database. */
    private List<String> arguments() {
        return List.of("--spring.datasource.url=jdbc:h2:file:" + work.resolve("h2-" + UUID.randomUUID())
                        .resolve("returnbridge"),
                "--returnbridge.admin.password=" + Bench.ADMIN_PASSWORD, "--logging.level.com.returnbridge=WARN");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
