package com.returnbridge.vendor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The vendor foundation without Spring, for testing one vendor client at a time: the real {@link VendorHttp}, call
 * log and (local) rate budgets over a private in-memory H2 database, and a read timeout short enough that "no answer"
 * is quick to provoke, long enough for a busy machine's first call.
 */
public final class VendorFixture implements AutoCloseable {

    public static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

    public final JsonMapper json = JsonMapper.builder().build();
    public final MeterRegistry meters = new SimpleMeterRegistry();
    public final Clock clock = Clock.systemUTC();
    public final VendorTimeouts timeouts = new VendorTimeouts(Duration.ofSeconds(2), READ_TIMEOUT);
    public final DataSource dataSource;
    public final RateBudgets budgets;
    public final VendorCallLog callLog;
    public final VendorHttp http;

    public VendorFixture() {
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:vendor-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        budgets = new RateBudgets(dataSource);
        callLog = new VendorCallLog(JdbcClient.create(dataSource), new JdbcTemplate(dataSource), json, clock, meters,
                Duration.ofDays(30));
        http = new VendorHttp(meters, callLog);
    }

    /** The calls the connection made, newest first, as the connection page shows them. */
    public List<VendorCallLog.Entry> calls(String connectionId) {
        callLog.flush();
        return callLog.recent(connectionId, false, 100);
    }

    @Override
    public void close() {
        callLog.stop();
        new JdbcTemplate(dataSource).execute("SHUTDOWN");
    }
}
