package com.returnbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark at CI size (run by failsafe in {@code mvn verify}, after the jar is packaged), so it cannot rot:
 * every phase runs against real processes and the results file must hold every key as a number.
 */
class BenchSmokeIT {

    @Test
    void theBenchmarkRunsEndToEndAndReportsEveryKeyAsANumber() throws Exception {
        Bench.Config config = Bench.Config.smoke();
        Map<String, Object> results = Bench.run(config);
        System.out.println(Bench.table(results));

        JsonNode written = JsonMapper.builder().build().readTree(Files.readString(config.out()));
        for (String key : Bench.REQUIRED_KEYS) {
            assertThat(written.path(key).isNumber()).as("%s is a number in %s", key, config.out()).isTrue();
            assertThat(Double.isFinite(written.path(key).asDouble())).as("%s is finite", key).isTrue();
        }
        // Sanity, not targets: CI machines are too small and too shared for the targets themselves.
        assertThat(written.path("databases").path("postgres").path("e2e_returns").asInt())
                .isEqualTo(config.lifecycles());
        assertThat(written.path("databases").path("postgres").path("drain_rmas_created").asInt())
                .isEqualTo(config.drainReturns());
        assertThat(written.path("throttle_failures").asDouble()).isZero();
        assertThat(written.path("intake_ratio_pg").asDouble()).isPositive();
        assertThat(written.path("peak_rss_mb").asDouble()).isPositive();
    }
}
