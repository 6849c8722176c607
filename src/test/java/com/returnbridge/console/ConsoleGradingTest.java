package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.returnbridge.sandbox.SandboxConnection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import tools.jackson.databind.JsonNode;

/** The grading tables in the connection page's mapping editor, and the restock guard's panel. */
class ConsoleGradingTest extends ConsoleTestBase {

    private static final String ID = SandboxConnection.ID;

    @Autowired
    MockMvc mvc;

    private String page() throws Exception {
        return mvc.perform(get("/connections/" + ID).with(user(USER).roles("ADMIN"))).andReturn().getResponse()
                .getContentAsString();
    }

    @Test
    void theConnectionPageShowsTheGradingTablesAndSavesThem() throws Exception {
        String before = page();
        assertThat(before).contains("id=\"grading\"").contains("Damaged = grade_d").contains("id=\"restock-guard\"")
                .contains("no restock.requested from Loop so far");

        mvc.perform(post("/connections/" + ID + "/grading").with(user(USER).roles("ADMIN")).with(csrf())
                        .param("enabled", "true").param("conditions", "Scratched = grade_c\nBroken = junk")
                        .param("unmapped", "grade_d").param("restocked", "back_to_stock")
                        .param("notRestocked", "donate").param("missing", "missing"))
                .andExpect(MockMvcResultMatchers.status().is3xxRedirection());

        JsonNode saved = ok(call("GET", "/api/connections/" + ID + "/grading", null));
        assertThat(saved.path("enabled").asBoolean()).isTrue();
        assertThat(saved.path("conditions").path("Scratched").asString()).isEqualTo("grade_c");
        assertThat(saved.path("conditions").has("Damaged")).isFalse();
        assertThat(saved.path("unmappedCondition").asString()).isEqualTo("grade_d");
        assertThat(saved.path("dispositions").path("not_restocked").asString()).isEqualTo("donate");
        assertThat(page()).contains("Broken = junk");
    }

    @Test
    void aCategoryLoopDoesNotKnowIsRefusedOnThePageAndNothingIsSaved() throws Exception {
        JsonNode before = ok(call("GET", "/api/connections/" + ID + "/grading", null));
        var result = mvc.perform(post("/connections/" + ID + "/grading").with(user(USER).roles("ADMIN")).with(csrf())
                        .param("enabled", "true").param("conditions", "Scratched = grade_z"))
                .andExpect(MockMvcResultMatchers.status().is3xxRedirection()).andReturn();
        assertThat(String.valueOf(result.getFlashMap().get("error"))).contains("grade_z").contains("grade_a");
        assertThat(ok(call("GET", "/api/connections/" + ID + "/grading", null))).isEqualTo(before);
    }
}
