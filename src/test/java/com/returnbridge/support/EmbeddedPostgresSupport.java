package com.returnbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server (zonky's binaries from a Maven artifact, no Docker) for the whole test run, with a
 * fresh database for each Spring context that asks. Commits are not flushed synchronously: the tests prove
 * behaviour, not durability (the crash test covers that on H2, the benchmark measures PostgreSQL with its defaults).
 */
public final class EmbeddedPostgresSupport {

    private static PostgresServer server;
    private static final AtomicInteger databases = new AtomicInteger();

    private EmbeddedPostgresSupport() {
    }

    /** A new, empty database; connect as user {@code postgres} with an empty password. */
    public static synchronized String newDatabaseUrl() {
        try {
            if (server == null) {
                server = PostgresServer.start(List.of("synchronous_commit=off", "timezone=UTC"), "postgres_tests");
            }
            String name = "returnbridge_" + databases.incrementAndGet();
            server.createDatabase(name);
            return server.jdbcUrl(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
