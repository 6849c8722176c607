package com.returnbridge.console;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** Every console page and admin API path needs the operator's login; only webhooks, the simulators and health do not. */
class ConsoleSecurityTest extends ConsoleTestBase {

    @Autowired
    MockMvc mvc;

    @ParameterizedTest
    @ValueSource(strings = {"/", "/returns", "/returns/1", "/returns/1/story", "/connections", "/connections/new",
            "/connections/sandbox", "/connections/sandbox/edit", "/overview/table", "/swagger-ui/index.html",
            "/connections/sandbox/backfills"})
    void pagesRedirectAnonymousVisitorsToTheLoginPage(String path) throws Exception {
        mvc.perform(get(path)).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/returns", "/api/returns/sandbox/1", "/api/connections", "/api/connections/sandbox",
            "/api/overview", "/api/deliveries", "/api/connections/sandbox/unmapped-statuses",
            "/api/connections/sandbox/rejections", "/api/connections/sandbox/webhook-check", "/v3/api-docs",
            "/api/connections/sandbox/vendor-calls", "/api/connections/sandbox/backfills",
            "/api/connections/sandbox/backfills/1",
            "/actuator/prometheus", "/actuator/metrics"})
    void apiAnswers401WithoutCredentials(String path) throws Exception {
        mvc.perform(get(path)).andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Basic")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/connections/sandbox/pause", "/api/connections/sandbox/resume",
            "/api/connections/sandbox/retry-attention", "/api/connections/sandbox/connect",
            "/api/connections/sandbox/webhook-check", "/api/returns/sandbox/1/retry", "/api/returns/sandbox/1/rerun-decision", "/api/deliveries/1/replay",
            "/api/connections/sandbox/backfill", "/api/connections/sandbox/backfills/1/cancel"})
    void apiActionsNeedCredentials(String path) throws Exception {
        // anonymous, no token: refused (CSRF answers first, 403); wrong Basic credentials: 401
        mvc.perform(post(path)).andExpect(status().isForbidden());
        // (a user name of its own per path: failures are rate limited per user name, see UsersAndTokensTest)
        mvc.perform(post(path).with(httpBasic("nobody-" + path.hashCode(), "wrong")))
                .andExpect(status().isUnauthorized());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/connections/sandbox/pause", "/connections/sandbox/resume", "/connections/sandbox/connect",
            "/connections/sandbox/retry-attention", "/connections/sandbox/mapping",
            "/connections/sandbox/webhook-check", "/returns/1/retry",
            "/deliveries/1/replay", "/connections", "/connections/sandbox/backfill",
            "/connections/sandbox/backfills/1/cancel", "/connections/sandbox"})
    void consoleFormsNeedLoginAndCsrf(String path) throws Exception {
        mvc.perform(post(path).with(csrf())).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        // logged in but without the CSRF token: refused
        mvc.perform(post(path).with(user(USER).roles("ADMIN"))).andExpect(status().isForbidden());
    }

    @Test
    void basicAuthWorksForScriptsAndASessionWorksForTheBrowser() throws Exception {
        mvc.perform(get("/api/connections").with(httpBasic(USER, PASSWORD))).andExpect(status().isOk());
        mvc.perform(get("/api/connections").with(user(USER).roles("ADMIN"))).andExpect(status().isOk());
        // a browser session must send the CSRF token on API writes; a Basic script need not
        mvc.perform(put("/api/connections/sandbox/mapping").with(user(USER).roles("ADMIN")).contentType(MediaType.APPLICATION_JSON)
                .content("{}")).andExpect(status().isForbidden());
    }

    @Test
    void formLoginChecksTheHashedPassword() throws Exception {
        mvc.perform(formLogin("/login").user(USER).password(PASSWORD)).andExpect(status().isFound())
                .andExpect(redirectedUrl("/"));
        mvc.perform(formLogin("/login").user(USER).password("nope")).andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        mvc.perform(post("/logout").with(user(USER).roles("ADMIN")).with(csrf())).andExpect(redirectedUrl("/login?logout"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/login", "/css/console.css", "/js/htmx.min.js", "/actuator/health",
            "/actuator/health/liveness", "/webhooks/shiphero/sandbox"})
    void loginPageAssetsHealthAndWebhooksAreOpen(String path) throws Exception {
        mvc.perform(get(path)).andExpect(status().isOk());
    }

    @Test
    void webhooksStayOpenToVendorsWithoutCsrf() throws Exception {
        // no login, no CSRF token: reaches the signature check (401 for a bad signature, not 403 or a redirect)
        mvc.perform(post("/webhooks/loop/sandbox").contentType(MediaType.APPLICATION_JSON).content("{}")
                .header("X-Loop-Signature", "bad")).andExpect(status().isUnauthorized());
    }
}
