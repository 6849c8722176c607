package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.support.Http;
import com.returnbridge.support.ReturnbridgeTest;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Everything but the webhooks, the simulated vendors' own endpoints and the liveness probe needs a login. */
@ReturnbridgeTest
@TestPropertySource(properties = {"returnbridge.admin.password=access-pw", "returnbridge.sandbox.enabled=true"})
class AccessTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:access-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @ParameterizedTest
    @CsvSource({"GET,/api/returns", "GET,/api/returns/sandbox/1", "POST,/api/connections/sandbox/reconcile",
            "GET,/api/connections/sandbox/rejections", "GET,/api/connections/sandbox/webhook-check",
            "POST,/api/connections/sandbox/webhook-check", "POST,/connections/sandbox/webhook-check",
            "GET,/actuator/prometheus", "GET,/actuator/metrics", "GET,/actuator/health/readiness",
            "GET,/actuator/health/db", "GET,/actuator/info", "GET,/v3/api-docs", "GET,/sandbox/control/summary",
            "POST,/sandbox/control/faults", "POST,/sandbox/demo/returns", "GET,/", "GET,/anything",
            "POST,/api/connections/sandbox/backfill", "GET,/api/connections/sandbox/backfills",
            "GET,/api/connections/sandbox/backfills/1", "POST,/api/connections/sandbox/backfills/1/cancel",
            "PUT,/api/connections/sandbox", "GET,/connections/sandbox/backfills",
            "POST,/connections/sandbox/backfills/1/cancel", "GET,/api/connections/sandbox/deliveries/unreadable",
            "POST,/api/connections/sandbox/deliveries/replay-unreadable", "GET,/api/deliveries/1",
            "GET,/deliveries/1/body", "POST,/connections/sandbox/deliveries/replay-unreadable",
            "POST,/deliveries/1/replay", "POST,/api/returns/sandbox/1/order", "POST,/returns/1/order",
            "POST,/connections/sandbox/shop-name"})
    void needsLogin(String method, String path) {
        Http.Answer anonymous = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path)))
                .method(method, java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(anonymous.status()).as(method + " " + path).isIn(401, 302, 403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/webhooks/shiphero/sandbox"})
    void openWithoutLogin(String path) {
        Http.Answer answer = Http.get(url(path), Map.of());
        assertThat(answer.status()).as(path).isEqualTo(200);
        assertThat(answer.body()).doesNotContain("components");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/returns", "/actuator/health/readiness", "/sandbox/control/summary"})
    void withTheLoginTheyAnswer(String path) {
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:access-pw".getBytes());
        assertThat(Http.get(url(path), Map.of("Authorization", basic)).status()).as(path).isEqualTo(200);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
