package com.returnbridge;

import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The per-item suite on H2, the embedded default. */
class PerItemEndToEndH2Test extends PerItemEndToEndTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:peritem-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
}
