package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import com.returnbridge.connection.Secret;
import com.returnbridge.vendor.VendorCallLog;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.support.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

/**
 * "Every vendor call and its answer" on the return page: what Returnbridge sent to Loop and ShipHero for a return
 * and what came back, failures marked, and no credential anywhere in what is kept.
 */
class VendorCallLogTest extends ConsoleTestBase {

    private static final String ID = "calls";

    @Autowired
    SandboxDemo demo;
    @Autowired
    SandboxLoop loop;
    @Autowired
    SandboxShipHero shiphero;
    @Autowired
    VendorCallLog calls;
    @Autowired
    Connections connections;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MockMvc mvc;

    @BeforeEach
    void connection() {
        if (connections.find(ID).isEmpty()) {
            // its own simulated Loop shop: other console tests' connections do not hear these returns
            ok(call("POST", "/api/connections", sandboxConnectionJson(ID)
                    .replace(SandboxLoop.SANDBOX_API_KEY, sandbox.shopKey(ID))));
            ok(call("POST", "/api/connections/" + ID + "/connect", null));
        }
    }

    @Test
    void theReturnShowsEveryCallItCausedWithWhatWasSentAndAnswered() throws Exception {
        long id = newReturn();
        awaitState(id, LinkState.RMA_CREATED);
        demo.receive(id, "Warehouse Complete", "all");
        ReturnLink closed = awaitState(id, LinkState.CLOSED);
        calls.flush();

        JsonNode detail = ok(call("GET", "/api/returns/" + ID + "/" + id, null));
        List<String> operations = new ArrayList<>();
        detail.path("vendorCalls").forEach(c -> operations.add(c.path("vendor").asString() + ":"
                + c.path("operation").asString()));
        assertThat(operations).containsSubsequence("shiphero:return_create", "shiphero:return",
                "loop:process", "shiphero:return_update_status");

        JsonNode create = find(detail, "return_create");
        assertThat(create.path("method").asString()).isEqualTo("POST");
        assertThat(create.path("url").asString()).endsWith("/sandbox/shiphero/graphql");
        assertThat(create.path("status").asInt()).isEqualTo(200);
        assertThat(create.path("requestBody").asString()).contains("mutation CreateReturn")
                .contains("\"partner_id\"").contains(String.valueOf(id));
        assertThat(create.path("answerBody").asString()).contains(closed.shipheroReturnId());
        assertThat(create.path("job").asString()).isEqualTo("create-rma");
        assertThat(create.path("failed").asBoolean()).isFalse();

        JsonNode process = find(detail, "process");
        assertThat(process.path("url").asString()).endsWith("/warehouse/return/" + id + "/process");
        assertThat(process.path("answerBody").asString()).isEqualTo("\"true\"");

        String page = mvc.perform(get("/returns/" + closed.id()).with(user(USER).roles("ADMIN"))).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("data-kind=\"CALL\"").contains("ShipHero return_create (POST) → HTTP 200")
                .contains("Loop process (POST) → HTTP 200").contains("/warehouse/return/" + id + "/process");
    }

    @Test
    void failedCallsAreMarkedOnTheReturnAndListedForTheConnection() throws Exception {
        long id = newReturn();
        shiphero.faults().inject("orders", SandboxFaults.Fault.of(SandboxFaults.Kind.SERVER_ERROR), 1);
        awaitState(id, LinkState.RMA_CREATED);
        loop.faults().inject("process", SandboxFaults.Fault.refuse("Return is open and therefore cannot be processed."), 1);
        demo.receive(id, "Warehouse Complete", "all");
        ReturnLink stuck = awaitState(id, LinkState.NEEDS_ATTENTION);
        calls.flush();

        List<VendorCallLog.Entry> mine = calls.forReturn(ID, String.valueOf(id), 100);
        assertThat(mine).filteredOn(c -> c.operation().equals("orders")).extracting(VendorCallLog.Entry::status)
                .containsExactly(500, 200);
        VendorCallLog.Entry refused = mine.stream().filter(c -> c.operation().equals("process")).findFirst()
                .orElseThrow();
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.failed()).as("Loop refuses with HTTP 200 and an error body").isTrue();
        assertThat(refused.answerBody()).contains("cannot be processed");

        JsonNode failed = ok(call("GET", "/api/connections/" + ID + "/vendor-calls?failed=true&limit=50", null));
        List<String> failedOps = new ArrayList<>();
        failed.forEach(c -> {
            assertThat(c.path("failed").asBoolean()).isTrue();
            failedOps.add(c.path("operation").asString() + "@" + c.path("loopReturnId").asString());
        });
        assertThat(failedOps).contains("orders@" + id, "process@" + id);

        String page = mvc.perform(get("/returns/" + stuck.id()).with(user(USER).roles("ADMIN"))).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("ShipHero orders (POST) → HTTP 500").contains("cannot be processed");
        String connectionPage = mvc.perform(get("/connections/" + ID).param("failedCalls", "true").with(user(USER).roles("ADMIN")))
                .andReturn().getResponse().getContentAsString();
        assertThat(connectionPage).contains("id=\"vendor-calls\"").contains("<code>orders</code>");
    }

    @Test
    void anUnknownConnectionIsA404WithTheReason() {
        Http.Answer answer = call("GET", "/api/connections/no-such-connection/vendor-calls", null);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).contains("no connection no-such-connection");
    }

    @Test
    void aCallThatGetsNoAnswerIsRecordedAsSuch() {
        long id = newReturn();
        // slower than the client's read timeout (3 s in these tests)
        shiphero.faults().inject("orders", SandboxFaults.Fault.slow(Duration.ofSeconds(5)), 1);
        awaitState(id, LinkState.RMA_CREATED);
        calls.flush();
        VendorCallLog.Entry lost = calls.forReturn(ID, String.valueOf(id), 100).stream()
                .filter(c -> c.operation().equals("orders") && c.status() == null).findFirst().orElseThrow();
        assertThat(lost.outcome()).startsWith("no answer: ").contains("Timeout");
        assertThat(lost.failed()).isTrue();
        assertThat(lost.durationMs()).isGreaterThanOrEqualTo(2_500);
    }

    @Test
    void readingAConnectionsCallsGivesItsDatabaseConnectionBack() {
        // more reads than the pool has connections (16): a read that kept its connection would leave the pool empty
        for (int i = 0; i < 40; i++) {
            calls.recent(ID, i % 2 == 0, 25);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM vendor_call").query(Long.class).single()).isNotNegative();
    }

    @Test
    void noCredentialIsKeptInTheLog() {
        long id = newReturn();
        awaitState(id, LinkState.RMA_CREATED);
        Connection c = connections.get(ID);
        shiphero.expireAccessTokens(); // the next call is refused, so the flow refreshes the token
        demo.receive(id, "Warehouse Complete", "all");
        awaitState(id, LinkState.CLOSED);
        calls.flush();

        List<String> secrets = Stream.of(c.loop().apiKey(), c.loop().webhookSecret(), c.shiphero().refreshToken(),
                        c.shiphero().webhookSecret()).filter(s -> s != null).map(Secret::reveal)
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        secrets.add("shsb_"); // how every access token the simulated ShipHero issues begins
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(5).allMatch(s -> s.length() >= 5);

        List<String> kept = jdbc.sql("""
                SELECT COALESCE(url, '') || ' ' || COALESCE(request_body, '') || ' ' || COALESCE(answer_body, '')
                  FROM vendor_call WHERE connection_id = ?""").param(ID).query(String.class).list();
        assertThat(kept).isNotEmpty();
        for (String row : kept) {
            for (String secret : secrets) {
                assertThat(row).doesNotContain(secret);
            }
        }
        // what the token refresh and the webhook registration answered is there, with the secrets taken out
        assertThat(kept).anyMatch(r -> r.contains("\"access_token\":\"[redacted]\""));
        assertThat(kept).anyMatch(r -> r.contains("\"refresh_token\":\"[redacted]\""));
        assertThat(kept).anyMatch(r -> r.contains("\"shared_signature_secret\":\"[redacted]\""));
    }

    private static JsonNode find(JsonNode detail, String operation) {
        for (JsonNode c : detail.path("vendorCalls")) {
            if (c.path("operation").asString().equals(operation)) {
                return c;
            }
        }
        throw new AssertionError("no " + operation + " call in " + detail.path("vendorCalls"));
    }

    long newReturn() {
        return demo.createReturn(ID, List.of(new SandboxDemo.DemoItem("CALL-TEE", 2)), null).loopReturnId();
    }

    ReturnLink awaitState(long loopReturnId, LinkState state) {
        return awaitState(ID, loopReturnId, state);
    }

}
