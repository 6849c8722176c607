package com.returnbridge.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which database the service runs on, for the few places that use what only PostgreSQL offers. */
public final class DatabaseKind {

    private static final Logger log = LoggerFactory.getLogger(DatabaseKind.class);

    private DatabaseKind() {
    }

    /** True on PostgreSQL; false on anything else, or when the database cannot be asked (logged). */
    public static boolean isPostgres(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            log.warn("could not tell the database kind: {}", e.toString());
            return false;
        }
    }
}
