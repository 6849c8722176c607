package com.returnbridge.monitor;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.TimelineKind;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Metrics read from the database, cached for 10 s so a scrape costs at most a few indexed queries:
 * {@code returnbridge.links{connection,state}} (gauge), {@code returnbridge.throttling.waits} (every time a job
 * waited for a vendor's quota), {@code returnbridge.needs_attention.total} (returns that entered NEEDS_ATTENTION).
 */
@Component
public class BridgeMetrics implements SmartInitializingSingleton {

    private static final long TTL_MILLIS = 10_000;

    private final MeterRegistry meters;
    private final JdbcClient jdbc;
    private final MultiGauge links;
    private final AtomicLong linksRefreshedAt = new AtomicLong();

    public BridgeMetrics(MeterRegistry meters, JdbcClient jdbc) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.links = MultiGauge.builder("returnbridge.links").description("return links by connection and state")
                .register(meters);
    }

    @Override
    public void afterSingletonsInstantiated() {
        FunctionCounter.builder("returnbridge.throttling.waits", this,
                        m -> m.cached("throttled", () -> countKind(TimelineKind.THROTTLED)))
                .description("times a job waited for a vendor's quota (ShipHero credits, Loop 429)").register(meters);
        FunctionCounter.builder("returnbridge.needs_attention.total", this,
                        m -> m.cached("attention", () -> countKind(TimelineKind.NEEDS_ATTENTION)))
                .description("returns that entered NEEDS_ATTENTION").register(meters);
        Gauge.builder("returnbridge.links.refresh", this, m -> {
            m.refreshLinks();
            return 1;
        }).description("internal: refreshes returnbridge.links on scrape").register(meters);
        refreshLinks();
    }

    private final Map<String, double[]> cache = new java.util.concurrent.ConcurrentHashMap<>();

    private double cached(String key, Supplier<Double> load) {
        long now = System.currentTimeMillis();
        double[] entry = cache.get(key);
        if (entry == null || now - (long) entry[1] > TTL_MILLIS) {
            try {
                entry = new double[] {load.get(), now};
                cache.put(key, entry);
            } catch (RuntimeException e) {
                return entry == null ? 0 : entry[0];
            }
        }
        return entry[0];
    }

    private double countKind(TimelineKind kind) {
        Long n = jdbc.sql("SELECT COUNT(*) FROM timeline_entry WHERE kind = ?").param(kind.name())
                .query(Long.class).single();
        return n == null ? 0 : n;
    }

    void refreshLinks() {
        long now = System.currentTimeMillis();
        long last = linksRefreshedAt.get();
        if (now - last < TTL_MILLIS || !linksRefreshedAt.compareAndSet(last, now)) {
            return;
        }
        try {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            jdbc.sql("SELECT connection_id, state, COUNT(*) FROM return_link GROUP BY connection_id, state")
                    .query((rs, n) -> MultiGauge.Row.of(Tags.of("connection", rs.getString(1), "state",
                            LinkState.valueOf(rs.getString(2)).name()), rs.getLong(3)))
                    .list().forEach(rows::add);
            links.register(rows, true);
        } catch (RuntimeException e) {
            // keep the previous values
        }
    }
}
