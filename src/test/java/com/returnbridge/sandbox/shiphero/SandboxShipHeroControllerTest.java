package com.returnbridge.sandbox.shiphero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.returnbridge.sandbox.SandboxFaults.Fault;
import com.returnbridge.sandbox.SandboxFaults.Kind;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import tools.jackson.databind.JsonNode;

/** The HTTP layer only (standalone MockMvc, no application context): statuses, headers and raw bodies. */
class SandboxShipHeroControllerTest {

    private final ShipHeroFixture f = new ShipHeroFixture();
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new SandboxShipHeroController(f.shipHero)).build();

    @AfterEach
    void close() {
        f.close();
    }

    private MockHttpServletResponse call(String path, String authorization, String body) throws Exception {
        var request = post("/sandbox/shiphero" + path).contentType(MediaType.APPLICATION_JSON).content(body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    @Test
    void refreshThenQueryOverHttp() throws Exception {
        f.shipHero.addRefreshToken(SandboxShipHeroConfiguration.SANDBOX_REFRESH_TOKEN);

        MockHttpServletResponse token = call("/auth/refresh", null,
                "{\"refresh_token\":\"" + SandboxShipHeroConfiguration.SANDBOX_REFRESH_TOKEN + "\"}");
        assertThat(token.getStatus()).isEqualTo(200);
        assertThat(token.getContentType()).startsWith("application/json");
        String accessToken = ShipHeroFixture.JSON.readTree(token.getContentAsString()).get("access_token").asString();

        MockHttpServletResponse answer = call("/graphql", "Bearer " + accessToken,
                "{\"query\":\"query Q($l: Int!) { uuid(legacy_id: $l, entity: Order) { data { id } } }\","
                        + "\"variables\":{\"l\":272271706},\"operationName\":\"Q\"}");
        assertThat(answer.getStatus()).isEqualTo(200);
        assertThat(answer.getContentType()).startsWith("application/json");
        JsonNode body = ShipHeroFixture.JSON.readTree(answer.getContentAsString());
        assertThat(body.get("data").get("uuid").get("data").get("id").asString()).isEqualTo("T3JkZXI6MjcyMjcxNzA2");
    }

    @Test
    void unauthorizedAndTooManyRequestsKeepTheirStatusAndHeaders() throws Exception {
        MockHttpServletResponse unauthorized = call("/graphql", "Bearer nope", "{\"query\":\"{ user_quota { max_available } }\"}");
        f.shipHero.faults().inject("user_quota", new Fault(Kind.TOO_MANY_REQUESTS, Duration.ofSeconds(2), null), 1);
        MockHttpServletResponse limited = call("/graphql", "Bearer " + f.token,
                "{\"query\":\"{ user_quota { max_available } }\"}");
        MockHttpServletResponse badRefresh = call("/auth/refresh", null, "{\"refresh_token\":\"nope\"}");

        assertThat(unauthorized.getStatus()).isEqualTo(401);
        assertThat(unauthorized.getContentAsString()).contains("Invalid or expired token");
        assertThat(limited.getStatus()).isEqualTo(429);
        assertThat(limited.getHeader("Retry-After")).isEqualTo("2");
        assertThat(badRefresh.getStatus()).isEqualTo(401);
        assertThat(badRefresh.getContentAsString()).contains("invalid_grant");
    }
}
