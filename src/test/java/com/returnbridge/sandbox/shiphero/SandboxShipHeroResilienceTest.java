package com.returnbridge.sandbox.shiphero;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.sandbox.SandboxFaults.Fault;
import com.returnbridge.sandbox.SandboxFaults.Kind;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.CreditModel;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.GraphQlAnswer;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.Order;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Credits, injected faults and tokens: the failure modes the bridge's ShipHero client must survive. */
class SandboxShipHeroResilienceTest {

    private final ShipHeroFixture f = new ShipHeroFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void throttlesWithCode30WhenTheBucketIsEmptyAndRecoversAfterRefill() {
        f.shipHero.setCreditModel(new CreditModel(20, 2));
        Order order = f.shipHero.createOrder("1", "#1001", "acme.myshopify.com", null, Map.of("TEE", 1));
        String returnId = f.createReturn(order.id(), "loop-1", Map.of("TEE", 1)).get("id").asString();
        Map<String, Object> getReturn = Map.of("id", returnId);

        // Drain: each GetReturn costs a handful of credits; keep going until ShipHero says no.
        GraphQlAnswer answer;
        int calls = 0;
        do {
            answer = f.run("GetReturn", getReturn);
            calls++;
        } while (!ShipHeroFixture.json(answer).has("errors") && calls < 50);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = ShipHeroFixture.json(answer);
        JsonNode error = body.get("errors").get(0);
        assertThat(error.get("code").asInt()).isEqualTo(30);
        assertThat(error.get("operation").asString()).isEqualTo("return");
        assertThat(error.get("field").asString()).isEqualTo("return");
        int required = error.get("required_credits").asInt();
        int remaining = error.get("remaining_credits").asInt();
        assertThat(remaining).isLessThan(required);
        long seconds = (long) Math.ceil((required - remaining) / 2.0);
        assertThat(error.get("time_remaining").asString()).isEqualTo(seconds + " seconds");
        assertThat(error.get("message").asString()).isEqualTo("There are not enough credits to perform the "
                + "requested operation, which requires " + required + " credits. The max allowed for your account "
                + "is 20 credits per operation. Try again in " + seconds + " seconds");
        assertThat(body.get("data").has("return")).isTrue();
        assertThat(body.get("data").get("return").isNull()).isTrue();
        assertThat(f.shipHero.stats().throttled()).isEqualTo(1);

        f.clock.advance(Duration.ofSeconds(seconds));
        JsonNode retried = f.ok("GetReturn", getReturn).get("return");
        assertThat(retried.get("data").get("id").asString()).isEqualTo(returnId);
        assertThat(retried.get("complexity").asInt()).isGreaterThan(1);
    }

    @Test
    void complexityIsOnePlusTheObjectsReturnedAndIsCharged() {
        f.shipHero.setCreditModel(new CreditModel(1000, 1));
        Order order = f.shipHero.createOrder("1", "#1001", "acme.myshopify.com", null, Map.of("TEE", 1, "CAP", 1));

        JsonNode orders = f.ok("FindOrdersByPartnerOrderId", Map.of("partnerOrderId", "1")).get("orders");

        // 1 + objects returned: orders envelope, data connection, its pageInfo, 1 edge, 1 node, its shipping_address,
        // line_items connection, 2 line edges, 2 line nodes (returns is an empty list)
        assertThat(orders.get("complexity").asInt()).isEqualTo(1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 2 + 2);
        assertThat(f.shipHero.creditsRemaining()).isEqualTo(1000 - 12);
        assertThat(f.shipHero.stats().creditsSpent()).isEqualTo(12);
        assertThat(order.id()).isNotBlank();
    }

    @Test
    void throttledFaultAnswersCode30WithoutExecuting() {
        Order order = f.shipHero.createOrder("1", "#1001", "acme.myshopify.com", null, Map.of("TEE", 1));
        f.shipHero.faults().inject("return_create", Fault.throttled(Duration.ofSeconds(7)), 1);

        GraphQlAnswer answer = f.run("CreateReturn", f.returnInput(order.id(), "loop-1", Map.of("TEE", 1)));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode error = ShipHeroFixture.json(answer).get("errors").get(0);
        assertThat(error.get("code").asInt()).isEqualTo(30);
        assertThat(error.get("time_remaining").asString()).isEqualTo("7 seconds");
        assertThat(f.shipHero.returns()).isEmpty();
        assertThat(f.shipHero.stats().faultsApplied()).isEqualTo(1);
    }

    @Test
    void failAfterExecuteCreatesTheReturnYetAnswers500() {
        Order order = f.shipHero.createOrder("1", "#1001", "acme.myshopify.com", null, Map.of("TEE", 1));
        f.shipHero.faults().inject("return_create", Fault.of(Kind.FAIL_AFTER_EXECUTE), 1);

        GraphQlAnswer answer = f.run("CreateReturn", f.returnInput(order.id(), "loop-1", Map.of("TEE", 1)));

        assertThat(answer.status()).isEqualTo(500);
        assertThat(f.shipHero.returnsByPartnerId("loop-1")).hasSize(1);
        // The fault is used up: the retry succeeds and, with no idempotency key, makes a second RMA.
        f.createReturn(order.id(), "loop-1", Map.of("TEE", 1));
        assertThat(f.shipHero.returnsByPartnerId("loop-1")).hasSize(2);
    }

    @Test
    void serverErrorAndTooManyRequestsDoNotExecute() {
        Order order = f.shipHero.createOrder("1", "#1001", "acme.myshopify.com", null, Map.of("TEE", 1));
        f.shipHero.faults().inject("return_create", Fault.of(Kind.SERVER_ERROR), 1);
        f.shipHero.faults().inject("return_create", new Fault(Kind.TOO_MANY_REQUESTS, Duration.ofSeconds(3), null), 1);

        GraphQlAnswer first = f.run("CreateReturn", f.returnInput(order.id(), "loop-1", Map.of("TEE", 1)));
        GraphQlAnswer second = f.run("CreateReturn", f.returnInput(order.id(), "loop-1", Map.of("TEE", 1)));

        assertThat(first.status()).isEqualTo(500);
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.headers()).containsEntry("Retry-After", "3");
        assertThat(f.shipHero.returns()).isEmpty();
        assertThat(f.shipHero.stats().requestsByOperation()).containsEntry("return_create", 2L);
    }

    @Test
    void slowFaultDelaysThenAnswersNormally() {
        f.shipHero.faults().inject("orders", Fault.slow(Duration.ofMillis(150)), 1);

        long start = System.nanoTime();
        f.ok("FindOrdersByOrderNumber", Map.of("orderNumber", "#1"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void expiredOrUnknownTokensAnswer401() {
        f.shipHero.expireAccessTokens();

        GraphQlAnswer expired = f.run("GetReturn", Map.of("id", "x"));
        GraphQlAnswer missing = f.shipHero.handleGraphQlRequest(null, "{\"query\":\"{ user_quota { max_available } }\"}");

        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).isEqualTo("{\"errors\":[{\"message\":\"Invalid or expired token\",\"code\":401}]}");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(f.shipHero.stats().unauthorized()).isEqualTo(2);
    }

    @Test
    void refreshIssuesAWorkingAccessTokenAndRejectsUnknownRefreshTokens() {
        f.shipHero.addRefreshToken("rt-1");

        GraphQlAnswer refreshed = f.shipHero.handleRefreshRequest("{\"refresh_token\":\"rt-1\"}");
        GraphQlAnswer rejected = f.shipHero.handleRefreshRequest("{\"refresh_token\":\"nope\"}");

        assertThat(refreshed.status()).isEqualTo(200);
        JsonNode token = ShipHeroFixture.json(refreshed);
        assertThat(token.get("expires_in").asLong()).isEqualTo(2419200);
        assertThat(token.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(token.get("scope").asString()).isEqualTo("openid profile offline_access");
        GraphQlAnswer call = f.shipHero.handleGraphQlRequest("Bearer " + token.get("access_token").asString(),
                "{\"query\":\"query Q { user_quota { max_available } }\",\"variables\":null,\"operationName\":\"Q\"}");
        assertThat(call.status()).as(call.body()).isEqualTo(200);
        assertThat(rejected.status()).isEqualTo(401);
        assertThat(rejected.body())
                .isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"Unknown or invalid refresh token.\"}");
    }

    @Test
    void refreshFaultsApply() {
        f.shipHero.addRefreshToken("rt-1");
        f.shipHero.faults().inject(ShipHeroEndpoint.AUTH_REFRESH, Fault.of(Kind.SERVER_ERROR), 1);

        assertThat(f.shipHero.refresh("rt-1").status()).isEqualTo(500);
        assertThat(f.shipHero.refresh("rt-1").status()).isEqualTo(200);
        assertThat(f.shipHero.stats().requestsByOperation()).containsEntry("auth_refresh", 2L);
    }
}
