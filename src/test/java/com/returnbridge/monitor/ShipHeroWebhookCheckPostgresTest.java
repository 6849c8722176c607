package com.returnbridge.monitor;

import com.returnbridge.support.EmbeddedPostgresSupport;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A lost ShipHero webhook coming back by itself, on a real PostgreSQL server (secrets, checks, events, sweep). */
class ShipHeroWebhookCheckPostgresTest extends ShipHeroWebhookCheckTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = EmbeddedPostgresSupport.newDatabaseUrl();
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }
}
