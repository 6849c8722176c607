package com.returnbridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.sandbox.shiphero.SandboxShipHeroConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulated ShipHero's own GraphQL endpoint, called as another ShipHero user of the same account would (a
 * warehouse admin deleting our webhook, say): over HTTP with its own token, not through Returnbridge's client.
 */
public final class ShipHeroAsAnotherUser {

    private final String baseUrl;
    private final JsonMapper json;

    /** {@code baseUrl}: the application's, where the simulator answers under /sandbox/shiphero. */
    public ShipHeroAsAnotherUser(String baseUrl, JsonMapper json) {
        this.baseUrl = baseUrl;
        this.json = json;
    }

    /** Runs the document; fails the test unless ShipHero answers 200 without errors. Answers {@code data}. */
    public JsonNode graphQl(String query, Map<String, Object> variables) {
        JsonNode token = json.readTree(Http.post(baseUrl + "/sandbox/shiphero/auth/refresh",
                ("{\"refresh_token\":\"" + SandboxShipHeroConfiguration.SANDBOX_REFRESH_TOKEN + "\"}")
                        .getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json")).body());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("query", query);
        request.put("variables", variables);
        Http.Answer answer = Http.post(baseUrl + "/sandbox/shiphero/graphql",
                json.writeValueAsBytes(request), Map.of("Content-Type", "application/json",
                        "Authorization", "Bearer " + token.path("access_token").asString()));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode root = json.readTree(answer.body());
        assertThat(root.path("errors").isMissingNode() || root.path("errors").isEmpty()).as(answer.body()).isTrue();
        return root.path("data");
    }

    /** Deletes the Return Update webhook Connect registered for {@code connectionId} on {@code customerAccount}. */
    public void deleteReturnUpdateWebhook(String customerAccount, String connectionId) {
        graphQl("""
                mutation ($data: DeleteWebhookInput!) { webhook_delete(data: $data) { request_id } }""",
                Map.of("data", Map.of("customer_account_id", customerAccount, "name", SandboxShipHero.RETURN_UPDATE,
                        "shop_name", "returnbridge-" + connectionId)));
    }
}
