package com.returnbridge.vendor;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Vendor budgets that every instance draws from: Loop's requests per minute per API key, ShipHero's credits per
 * account. On PostgreSQL (the only database several instances can share) each budget is a Bucket4j bucket stored in
 * {@code rate_bucket}, updated under {@code SELECT … FOR UPDATE}; on H2 (one instance) it is an in-memory bucket.
 * Buckets are keyed by a hash of the credential, never the credential itself.
 *
 * <p>A row lock per call would make every concurrent job of an account queue on that one row (and hold a pooled
 * connection meanwhile), so on PostgreSQL each instance takes tokens in grants of {@code 1/leaseShare} of the
 * bucket ({@link LeasedBucket}): most calls are served from the grant without touching the row, every token is
 * taken from the shared bucket before it is spent (all instances together stay within it), and a grant left unused
 * for {@code leaseIdle} goes back to the shared bucket.
 */
@Component
public class RateBudgets implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RateBudgets.class);

    /** One budget: its name (for messages and metrics), its size and how fast it refills. */
    public record Budget(String kind, long capacity, long refill, Duration per) {
        BucketConfiguration configuration() {
            return BucketConfiguration.builder()
                    .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(refill, per).build())
                    .build();
        }
    }

    private final ProxyManager<String> shared;
    private final Map<String, Bucket> local = new ConcurrentHashMap<>();
    private final Map<String, LeasedBucket> leased = new ConcurrentHashMap<>();
    private final int leaseShare;
    private final Duration leaseIdle;
    private final Clock clock;
    private final ScheduledExecutorService idleReturns;

    /** With the defaults: grants of 1/16 of a bucket, returned after 1 s unused. */
    public RateBudgets(DataSource dataSource) {
        this(dataSource, 16, Duration.ofSeconds(1), Clock.systemUTC());
    }

    @Autowired
    public RateBudgets(DataSource dataSource,
                       @Value("${returnbridge.rate-budgets.lease-share:16}") int leaseShare,
                       @Value("${returnbridge.rate-budgets.lease-idle:PT1S}") Duration leaseIdle, Clock clock) {
        this.leaseShare = leaseShare;
        this.leaseIdle = leaseIdle;
        this.clock = clock;
        this.shared = com.returnbridge.database.DatabaseKind.isPostgres(dataSource)
                ? Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource).primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_bucket").idColumn("id").stateColumn("state").build()
                : null;
        log.info("vendor rate budgets are {}", shared != null ? "shared through PostgreSQL" : "local to this instance");
        if (shared != null && leaseShare > 1) {
            idleReturns = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rate-budget-leases");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(50, leaseIdle.toMillis() / 2);
            idleReturns.scheduleWithFixedDelay(this::returnIdleLeases, every, every, TimeUnit.MILLISECONDS);
        } else {
            idleReturns = null;
        }
    }

    private void returnIdleLeases() {
        for (LeasedBucket bucket : leased.values()) {
            try {
                bucket.returnIfIdle();
            } catch (RuntimeException e) {
                log.debug("could not return an idle grant yet: {}", e.toString());
            }
        }
    }

    /** At shutdown what this instance holds goes back, so the other instances can spend it. */
    @Override
    public void destroy() {
        if (idleReturns != null) {
            idleReturns.shutdownNow();
        }
        for (LeasedBucket bucket : leased.values()) {
            try {
                bucket.giveBack();
            } catch (RuntimeException e) {
                log.info("could not give back a rate grant at shutdown ({}); it refills by itself", e.toString());
            }
        }
    }

    /** Whether every instance on this database draws from the same buckets. */
    public boolean isShared() {
        return shared != null;
    }

    /** The bucket for this budget and credential (an API key, a refresh token): same key, same bucket everywhere. */
    public Bucket bucket(Budget budget, String credential) {
        String key = budget.kind() + ":" + fingerprint(credential);
        if (shared != null) {
            if (leaseShare <= 1 || budget.capacity() / leaseShare < 2) {
                // grants off, or a bucket too small to share out (Loop's burst of 10): one row lock per call
                return shared.builder().build(key, budget::configuration);
            }
            return leased.computeIfAbsent(key, k -> new LeasedBucket(shared.builder().build(k, budget::configuration),
                    budget.capacity() / leaseShare, leaseIdle, clock));
        }
        return local.computeIfAbsent(key, k -> Bucket.builder().addLimit(budget.configuration().getBandwidths()[0])
                .build());
    }

    static String fingerprint(String credential) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((credential == null ? "" : credential).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
