package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.sandbox.loop.NewReturn;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHero;
import com.returnbridge.sandbox.shiphero.SandboxShipHeroConfiguration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import tools.jackson.databind.JsonNode;

/**
 * Several stores in one ShipHero account, each with an order of the same number: Connect proposes the connection's
 * shop name from the orders of the Loop shop's recent returns (and does not set it), the operator sets it from the
 * console; a return whose order nothing tells apart offers its candidates on the return page, and the pick made
 * there creates the RMA on that order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// A context of its own: the simulated Loop lists every shop's returns to any key, so Connect must see only ours.
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:console-order-choice;DB_CLOSE_DELAY=-1")
class ConsoleOrderChoiceTest extends ConsoleTestBase {

    private static final String ID = "stores";
    private static final long N = 70_000_000L + System.nanoTime() % 1_000_000L;
    private static final String SHOP_P = "store-p-" + N + ".myshopify.com";
    private static final String SHOP_Q = "store-q-" + N + ".myshopify.com";

    @Autowired
    SandboxLoop loop;
    @Autowired
    SandboxShipHero shiphero;
    @Autowired
    Timeline timeline;
    @Autowired
    MockMvc mvc;

    String shopKey() {
        return sandbox.shopKey(ID);
    }

    @Test
    @Order(1)
    void connectProposesTheStoreOfTheRecentReturnsOrdersAndTheOperatorSetsIt() throws Exception {
        ok(call("POST", "/api/connections", """
                {"id":"%s","loopBaseUrl":"%s/sandbox/loop/api/v1","loopApiKey":"%s","loopWebhookSecret":"%s",
                 "shipheroBaseUrl":"%s/sandbox/shiphero","shipheroRefreshToken":"%s"}"""
                .formatted(ID, sandbox.baseUrl(), shopKey(), SandboxLoop.DEFAULT_WEBHOOK_SECRET, sandbox.baseUrl(),
                        SandboxShipHeroConfiguration.SANDBOX_REFRESH_TOKEN)));
        // This merchant's order #N is in store P; store Q has a #N too, of other goods.
        shiphero.createOrder("55" + N, "#" + N, SHOP_P, null, Map.of("PROP-1", 1));
        shiphero.createOrder("66" + N, "#" + N, SHOP_Q, null, Map.of("OTHER-1", 1));
        loop.createReturn(NewReturn.builder().orderName("#" + N).providerOrderId("55" + N)
                .item("PROP-1", "Prop", "Too small", 1).build(), shopKey());

        JsonNode report = ok(call("POST", "/api/connections/" + ID + "/connect", null));
        assertThat(report.path("proposedShopName").asString()).as(report.toString()).isEqualTo(SHOP_P);
        assertThat(report.path("shopNames").toString()).contains(SHOP_P);
        assertThat(report.toString()).contains("ShipHero shop name").contains("proposed: " + SHOP_P);
        // Proposed, not forced.
        assertThat(ok(call("GET", "/api/connections/" + ID, null)).path("shipheroShopName").isNull()).isTrue();

        // The console shows the proposal after Connect and sets it on request.
        MvcResult connected = mvc.perform(post("/connections/" + ID + "/connect").with(user(USER).roles("ADMIN")).with(csrf()))
                .andReturn();
        String page = mvc.perform(get("/connections/" + ID).with(user(USER).roles("ADMIN"))
                        .flashAttrs(connected.getFlashMap()))
                .andExpect(MockMvcResultMatchers.status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("shop-name-form").contains(SHOP_P + " (proposed)");
        mvc.perform(post("/connections/" + ID + "/shop-name").param("shopName", SHOP_P).with(user(USER).roles("ADMIN"))
                .with(csrf())).andExpect(MockMvcResultMatchers.status().is3xxRedirection());
        assertThat(ok(call("GET", "/api/connections/" + ID, null)).path("shipheroShopName").asString())
                .isEqualTo(SHOP_P);
        JsonNode again = ok(call("POST", "/api/connections/" + ID + "/connect", null));
        assertThat(again.toString()).contains("set to " + SHOP_P);
        assertThat(again.path("ok").asBoolean()).as(again.toString()).isTrue();
    }

    @Test
    @Order(2)
    void theReturnPageOffersTheCandidatesAndThePickMadeThereCreatesTheRma() throws Exception {
        // Without a shop name, two stores' #M with the same SKU and customer cannot be told apart.
        ok(call("PUT", "/api/connections/" + ID, "{\"shipheroShopName\":\"\"}"));
        long m = N + 1;
        var p = shiphero.createOrder("x" + m, "#" + m, SHOP_P, null, Map.of("PICK-1", 1),
                new SandboxShipHero.Customer("ana.ruiz@example.com", "Ana", "Ruiz"));
        var q = shiphero.createOrder("y" + m, "#" + m, SHOP_Q, null, Map.of("PICK-1", 1),
                new SandboxShipHero.Customer("ana.ruiz@example.com", "Ana", "Ruiz"));
        var loopReturn = loop.createReturn(NewReturn.builder().orderName("#" + m).providerOrderId("99" + m)
                .item("PICK-1", "Pick", "Too small", 1).build(), shopKey());
        ReturnLink waiting = awaitState(ID, loopReturn.id(), LinkState.NEEDS_ATTENTION);
        assertThat(waiting.attentionReason()).contains(p.id()).contains(q.id()).contains(SHOP_P).contains(SHOP_Q);

        String page = mvc.perform(get("/returns/" + waiting.id()).with(user(USER).roles("ADMIN")))
                .andExpect(MockMvcResultMatchers.status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"order-choice\"").contains(p.id()).contains(q.id());

        mvc.perform(post("/returns/" + waiting.id() + "/order").param("orderId", q.id()).with(user(USER).roles("ADMIN"))
                .with(csrf())).andExpect(MockMvcResultMatchers.status().is3xxRedirection());
        ReturnLink link = awaitState(ID, loopReturn.id(), LinkState.RMA_CREATED);
        assertThat(shiphero.returnsByPartnerId(String.valueOf(loopReturn.id()))).singleElement()
                .satisfies(rma -> assertThat(rma.orderId()).isEqualTo(q.id()));
        assertThat(timeline.forLink(link.id())).anyMatch(e -> e.kind().equals("ORDER_CHOSEN")
                && e.message().contains("chosen by " + USER));
        String after = mvc.perform(get("/returns/" + waiting.id()).with(user(USER).roles("ADMIN")))
                .andReturn().getResponse().getContentAsString();
        assertThat(after).doesNotContain("id=\"order-choice\"");
    }
}
