package com.returnbridge.sla;

import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The SLA clocks of a demo return on H2, the embedded default. */
class SlaClocksH2Test extends SlaClocksTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:sla-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
}
