package com.returnbridge.sandbox.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.returnbridge.sandbox.SandboxWebhookSender;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** Standalone MockMvc (no application context): checks only the HTTP translation. */
class SandboxLoopControllerTest {

    private static final String BASE = "/sandbox/loop/api/v1";
    private SandboxWebhookSender sender;
    private SandboxLoop loop;
    private MockMvc mvc;

    @BeforeEach
    void setUp() {
        sender = new SandboxWebhookSender(Duration.ofMillis(10));
        loop = new SandboxLoop(sender);
        loop.addApiKey(SandboxLoop.SANDBOX_API_KEY);
        mvc = MockMvcBuilders.standaloneSetup(new SandboxLoopController(loop)).build();
    }

    @AfterEach
    void tearDown() {
        sender.close();
    }

    @Test
    void processSendsExactlyTheSixBytesOfTrue() throws Exception {
        long id = loop.createReturn(NewReturn.builder().item("A", "A", "Other", 1).build()).id();

        MockHttpServletResponse response = mvc.perform(post(BASE + "/warehouse/return/" + id + "/process")
                .header("X-Authorization", SandboxLoop.SANDBOX_API_KEY)
                .contentType(MediaType.APPLICATION_JSON).content("{\"rma_number\":\"RMA-9\"}"))
                .andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("application/json");
        assertThat(response.getContentAsByteArray()).isEqualTo("\"true\"".getBytes());
        assertThat(loop.actions(id).get(0).body()).isEqualTo("{\"rma_number\":\"RMA-9\"}");
    }

    @Test
    void theDatedVersionsAnswerAsV1AndCreatingAWebhookIs201() throws Exception {
        for (String version : new String[] {"2026-07", "2026-10"}) {
            long id = loop.createReturn(NewReturn.builder().item("A", "A", "Other", 1).build()).id();
            MockHttpServletResponse processed = mvc.perform(post("/sandbox/loop/api/" + version + "/warehouse/return/"
                    + id + "/process").header("X-Authorization", SandboxLoop.SANDBOX_API_KEY)).andReturn().getResponse();
            assertThat(processed.getContentAsString()).as(version).isEqualTo("\"true\"");
        }
        MockHttpServletResponse created = mvc.perform(post("/sandbox/loop/api/2026-07/webhooks")
                .header("X-Authorization", SandboxLoop.SANDBOX_API_KEY).contentType(MediaType.APPLICATION_JSON)
                .content("{\"topic\":\"return.processing\",\"trigger\":\"return.processing.failed\","
                        + "\"url\":\"https://x.test/h\",\"status\":\"active\"}")).andReturn().getResponse();
        assertThat(created.getStatus()).isEqualTo(201);
        assertThat(created.getContentAsString()).contains("\"topic\":\"return.processing\"");
    }

    @Test
    void missingKeyIs401AndListPagesPointAtTheRequestHost() throws Exception {
        MockHttpServletResponse unauthorized = mvc.perform(get(BASE + "/webhooks")).andReturn().getResponse();
        assertThat(unauthorized.getStatus()).isEqualTo(401);
        assertThat(unauthorized.getContentAsString()).contains("GEN-UNAUTHORIZED");

        loop.createReturn(NewReturn.builder().item("A", "A", "Other", 1).build());
        loop.createReturn(NewReturn.builder().item("B", "B", "Other", 1).build());
        MockHttpServletResponse page = mvc.perform(get(BASE + "/warehouse/return/list")
                .queryParam("paginate", "true").queryParam("pageSize", "1")
                .header("X-Authorization", SandboxLoop.SANDBOX_API_KEY)).andReturn().getResponse();
        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getContentAsString())
                .contains("\"nextPageUrl\":\"http:\\/\\/localhost" + BASE.replace("/", "\\/") + "\\/warehouse\\/return\\/list?paginate=true&pageSize=1&cursor=");

        assertThat(mvc.perform(get(BASE + "/warehouse/return/details").queryParam("return_id", "5")
                .header("X-Authorization", SandboxLoop.SANDBOX_API_KEY)).andReturn().getResponse().getStatus())
                .isEqualTo(404);
    }
}
