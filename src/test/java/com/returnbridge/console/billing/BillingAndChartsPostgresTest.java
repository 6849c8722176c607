package com.returnbridge.console.billing;

import com.returnbridge.support.EmbeddedPostgresSupport;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The billing export on PostgreSQL, where the cursor (fetch size in a read-only transaction) is what streams. */
class BillingAndChartsPostgresTest extends BillingAndChartsTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = EmbeddedPostgresSupport.newDatabaseUrl();
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }
}
