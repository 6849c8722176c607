package com.returnbridge.shiphero;

import static com.returnbridge.shiphero.ShipHeroTestKit.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.returnbridge.connection.Connection;
import com.returnbridge.vendor.VendorException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** ShipHeroAdminClient on its own, over HTTP: the Return Update webhook, and the same answers as the jobs get. */
class ShipHeroAdminClientTest {

    private final ShipHeroTestKit kit = new ShipHeroTestKit();
    private final ShipHeroAdminClient admin = new ShipHeroAdminClient(kit.http);
    private final Connection connection = kit.connection("c-admin", false);

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void webhooksAreListed() {
        kit.shiphero.answer(200, data("webhooks", "{\"data\":{\"edges\":[{\"node\":{\"id\":\"V2ViaG9vazox\","
                + "\"legacy_id\":1,\"name\":\"Return Update\",\"url\":\"https://rb/webhooks/shiphero/c-admin\","
                + "\"shop_name\":\"returnbridge\"}}]}}"));

        var listed = admin.webhooks(connection);

        assertThat(listed).containsExactly(new ShipHeroAdminClient.Webhook("V2ViaG9vazox", 1L, "Return Update",
                "https://rb/webhooks/shiphero/c-admin", "returnbridge"));
        assertThat(kit.lastRequest().path("query").asString()).contains("ListWebhooks");
        assertThat(kit.lastRequest().path("variables").path("customerAccountId").asString()).isEqualTo("CA1");
    }

    @Test
    void theReturnUpdateWebhookIsCreatedWithItsSecretShownOnce() {
        kit.shiphero.answer(200, data("webhook_create", "{\"webhook\":{\"id\":\"V2ViaG9vazoy\",\"legacy_id\":2,"
                + "\"name\":\"Return Update\",\"url\":\"https://rb/x\",\"shop_name\":\"returnbridge\","
                + "\"shared_signature_secret\":\"s3cr3t\"}}"));

        ShipHeroAdminClient.CreatedWebhook created = admin.createReturnUpdateWebhook(connection, "https://rb/x",
                "returnbridge");

        assertThat(created.sharedSignatureSecret()).isEqualTo("s3cr3t");
        assertThat(created.webhook().name()).isEqualTo(ShipHeroAdminClient.RETURN_UPDATE);
        JsonNode input = kit.lastRequest().path("variables").path("data");
        assertThat(input.path("name").asString()).isEqualTo("Return Update");
        assertThat(input.path("customer_account_id").asString()).isEqualTo("CA1");
        assertThat(kit.vendor.calls("c-admin").get(0).answerBody()).doesNotContain("s3cr3t");
    }

    @Test
    void deletingTheWebhookNamesItByNameAndShop() {
        kit.shiphero.answer(200, data("webhook_delete", "{\"request_id\":\"r\"}"));

        admin.deleteReturnUpdateWebhook(connection, "returnbridge");

        JsonNode input = kit.lastRequest().path("variables").path("data");
        assertThat(input.path("name").asString()).isEqualTo("Return Update");
        assertThat(input.path("shop_name").asString()).isEqualTo("returnbridge");
    }

    @Test
    void tooManyRequestsIsThrottlingHereToo() {
        kit.shiphero.answer(429, "{}", Map.of("Retry-After", "6"));

        VendorException e = catchThrowableOfType(VendorException.class, () -> admin.webhooks(connection));

        assertThat(e.kind()).isEqualTo(VendorException.Kind.THROTTLED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void aServerErrorToWebhookCreateIsAnsweredAndUncertain() {
        kit.shiphero.answer(500, "{}");

        VendorException e = catchThrowableOfType(VendorException.class,
                () -> admin.createReturnUpdateWebhook(connection, "https://rb/x", "returnbridge"));

        assertThat(e.kind()).isEqualTo(VendorException.Kind.TRANSIENT);
        assertThat(e.isAnswered()).isTrue();
        assertThat(e.getMessage()).contains("webhook_create answered HTTP 500");
    }
}
