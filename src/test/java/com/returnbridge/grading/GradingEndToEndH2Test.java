package com.returnbridge.grading;

import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Grading and the restock guard end to end on H2, the embedded default. */
class GradingEndToEndH2Test extends GradingEndToEndTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:grading-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
}
