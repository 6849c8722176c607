package com.returnbridge.support;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server as its own process, for the tests and the benchmark: the binaries zonky ships as a Maven
 * artifact, started with initdb/pg_ctl. PostgreSQL refuses to run as root, so when the build runs as root the server
 * runs as the unprivileged user {@value #UNPRIVILEGED_USER} (created here when missing, via useradd), which is what
 * lets {@code mvn verify} pass as root on a fresh machine. Zonky's own {@code EmbeddedPostgres} cannot do that.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String UNPRIVILEGED_USER = "returnbridge-ci";

    private final Path base;
    private final Path data;
    private final Path bin;
    private final int port;
    private final List<String> asUser;
    private boolean closed;

    private PostgresServer(Path base, int port, List<String> asUser) {
        this.base = base;
        this.data = base.resolve("data");
        this.bin = base.resolve("pg").resolve("bin");
        this.port = port;
        this.asUser = asUser;
    }

    /** Default server settings (fsync and synchronous_commit on), as a production server would have. */
    public static PostgresServer start() throws IOException, InterruptedException {
        return start(List.of(), "bench");
    }

    /**
     * @param settings extra {@code -c name=value} server settings
     * @param database a database created once the server is up
     */
    public static PostgresServer start(List<String> settings, String database) throws IOException,
            InterruptedException {
        Path base = Files.createTempDirectory("returnbridge-pg");
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asUser = root ? List.of("runuser", "-u", UNPRIVILEGED_USER, "--") : List.of();
        PostgresServer pg = new PostgresServer(base, freePort(), asUser);
        pg.extract();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
        if (root) {
            ensureUnprivilegedUser(base);
            run(List.of("chmod", "755", base.toString()), base.resolve("chmod.log"));
            run(List.of("chown", "-R", UNPRIVILEGED_USER, base.toString()), base.resolve("chown.log"));
        }
        StringBuilder options = new StringBuilder("-p " + pg.port + " -h 127.0.0.1 -k " + base
                + " -c max_connections=200");
        for (String setting : settings) {
            options.append(" -c ").append(setting);
        }
        pg.exec(List.of(pg.bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres", "-E", "UTF-8",
                "--no-sync", "-D", pg.data.toString()), "initdb.log");
        pg.exec(List.of(pg.bin.resolve("pg_ctl").toString(), "-D", pg.data.toString(), "-w", "-t", "120",
                "-l", base.resolve("server.log").toString(), "-o", options.toString(), "start"), "pg_ctl.log");
        pg.createDatabase(database);
        return pg;
    }

    public void createDatabase(String database) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable: " + e.getMessage(), e);
        }
    }

    /** Connect as user {@code postgres} with an empty password. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void extract() throws IOException {
        Path target = base.resolve("pg");
        try (InputStream txz = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64");
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(txz))) {
            TarArchiveEntry entry;
            List<String[]> links = new ArrayList<>();
            while ((entry = tar.getNextEntry()) != null) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    links.add(new String[] {out.toString(), entry.getLinkName()});
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out);
                    boolean exec = (entry.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            for (String[] link : links) {
                Path out = Path.of(link[0]);
                Files.createDirectories(out.getParent());
                Files.deleteIfExists(out);
                Files.createSymbolicLink(out, Path.of(link[1]));
            }
        }
    }

    private static void ensureUnprivilegedUser(Path base) throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", UNPRIVILEGED_USER).redirectErrorStream(true)
                .redirectOutput(base.resolve("id.log").toFile()).start();
        if (id.waitFor(30, TimeUnit.SECONDS) && id.exitValue() == 0) {
            return;
        }
        run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", UNPRIVILEGED_USER),
                base.resolve("useradd.log"));
    }

    private void exec(List<String> command, String log) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(asUser);
        full.addAll(command);
        run(full, base.resolve(log));
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            exec(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"),
                    "stop.log");
        } catch (Exception e) {
            System.err.println("could not stop PostgreSQL cleanly: " + e.getMessage());
        }
        try (Stream<Path> paths = Files.walk(base)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
