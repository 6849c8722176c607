package com.returnbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.returnbridge.vendor.VendorException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LoopAdminClient on its own, over HTTP: the Webhooks API (201 or 200), the key check, the list and details. */
class LoopAdminClientTest {

    private final LoopTestKit kit = new LoopTestKit();
    private final LoopAdminClient admin = new LoopAdminClient(kit.http);

    @AfterEach
    void close() {
        kit.close();
    }

    private static String subscription(String id, String status) {
        return "{\"id\":\"" + id + "\",\"topic\":\"return\",\"trigger\":\"return.created\",\"url\":\"https://rb/x\","
                + "\"status\":\"" + status + "\"}";
    }

    @Test
    void aWebhookIsCreatedWhetherLoopAnswers201Or200() {
        kit.loop.answer(201, subscription("w1", "active")).answer(200, subscription("w2", "active"));

        LoopAdminClient.Subscription created = admin.createWebhook(kit.connection, "return", "return.created",
                "https://rb/x");
        LoopAdminClient.Subscription older = admin.createWebhook(kit.connection, "return", "return.closed",
                "https://rb/x");

        assertThat(created.id()).isEqualTo("w1");
        assertThat(created.status()).isEqualTo("active");
        assertThat(older.id()).isEqualTo("w2");
        var sent = kit.loop.requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/webhooks");
        assertThat(sent.body()).isEqualTo(
                "{\"topic\":\"return\",\"trigger\":\"return.created\",\"url\":\"https://rb/x\",\"status\":\"active\"}");
    }

    @Test
    void webhooksAreListedInEitherShapeAndActivatedWithA204() {
        kit.loop.answer(200, "[" + subscription("w1", "inactive") + "]")
                .answer(200, "{\"webhooks\":[" + subscription("w2", "active") + "]}")
                .answer(204, null);

        List<LoopAdminClient.Subscription> bare = admin.webhooks(kit.connection);
        List<LoopAdminClient.Subscription> wrapped = admin.webhooks(kit.connection);
        admin.activateWebhook(kit.connection, bare.get(0));

        assertThat(bare).extracting(LoopAdminClient.Subscription::id).containsExactly("w1");
        assertThat(wrapped).extracting(LoopAdminClient.Subscription::id).containsExactly("w2");
        assertThat(kit.loop.last().method()).isEqualTo("PUT");
        assertThat(kit.loop.last().path()).isEqualTo("/webhooks/w1");
    }

    @Test
    void aKeyWithoutTheScopeIsToldApart() {
        kit.loop.answer(200, "[]").answer(403, "{\"message\":\"This action is unauthorized.\"}");

        admin.checkKey(kit.connection);
        VendorException e = catchThrowableOfType(VendorException.class, () -> admin.webhooks(kit.connection));

        assertThat(kit.loop.requests().get(0).path()).isEqualTo("/warehouse/return/list");
        assertThat(e.kind()).isEqualTo(VendorException.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("HTTP 403");
    }

    @Test
    void aPageOfReturnsCarriesLoopsNextPageUrl() {
        String next = kit.loop.baseUrl() + "/warehouse/return/list?cursor=n2";
        kit.loop.answer(200, "{\"returns\":[{\"id\":\"1\"},{\"id\":\"2\"}],\"nextPageUrl\":\"" + next + "\"}")
                .answer(200, "{\"returns\":[{\"id\":\"3\"}],\"nextPageUrl\":null}");

        LoopAdminClient.Page first = admin.returnsPage(kit.connection, Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-02-01T00:00:00Z"), null, "closed", 50);
        LoopAdminClient.Page last = admin.returnsPage(kit.connection, first.nextPageUrl());

        assertThat(first.returns()).hasSize(2);
        assertThat(first.nextPageUrl()).isEqualTo(next);
        assertThat(last.returns()).hasSize(1);
        assertThat(last.nextPageUrl()).isNull();
        assertThat(kit.loop.requests().get(0).query()).contains("filter=created_at").contains("state=closed")
                .contains("pageSize=50");
    }

    @Test
    void returnDetailsOrNoneForAnUnknownId() {
        kit.loop.answer(200, "{\"id\":\"77\",\"state\":\"open\"}").answer(404, "{}");

        assertThat(admin.findReturn(kit.connection, "77")).get()
                .satisfies(r -> assertThat(r.loopReturn().state()).isEqualTo("open"));
        assertThat(admin.findReturn(kit.connection, "78")).isEmpty();
    }

    @Test
    void aServerErrorIsTransient() {
        kit.loop.answer(500, "oops");

        VendorException e = catchThrowableOfType(VendorException.class, () -> admin.webhooks(kit.connection));

        assertThat(e.kind()).isEqualTo(VendorException.Kind.TRANSIENT);
    }
}
