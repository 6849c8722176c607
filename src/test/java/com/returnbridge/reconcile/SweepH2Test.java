package com.returnbridge.reconcile;

import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sweep's tests on H2. */
class SweepH2Test extends SweepTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:sweep-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
}
