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
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Vendor budgets that every instance draws from: Loop's requests per minute per API key, ShipHero's credits per
 * account. On PostgreSQL (the only database several instances can share) each budget is a Bucket4j bucket stored in
 * {@code rate_bucket}, updated under {@code SELECT … FOR UPDATE}; on H2 (one instance) it is an in-memory bucket.
 * Buckets are keyed by a hash of the credential, never the credential itself.
 */
@Component
public class RateBudgets {

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

    public RateBudgets(DataSource dataSource) {
        this.shared = isPostgres(dataSource)
                ? Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource).primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_bucket").idColumn("id").stateColumn("state").build()
                : null;
        log.info("vendor rate budgets are {}", shared != null ? "shared through PostgreSQL" : "local to this instance");
    }

    /** Whether every instance on this database draws from the same buckets. */
    public boolean isShared() {
        return shared != null;
    }

    /** The bucket for this budget and credential (an API key, a refresh token): same key, same bucket everywhere. */
    public Bucket bucket(Budget budget, String credential) {
        String key = budget.kind() + ":" + fingerprint(credential);
        if (shared != null) {
            return shared.builder().build(key, budget::configuration);
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

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        } catch (SQLException e) {
            log.warn("could not tell the database kind: {}", e.toString());
            return false;
        }
    }
}
