package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.SandboxDemo;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tried as a new user would, in a logged-in browser session over real HTTP: an unknown console address shows the
 * console's own not-found page (never Spring's "Whitelabel Error Page"), a return's API address opens its page, and
 * the return page offers only the actions that can do something in the return's state, saying why the others are not
 * there.
 */
class ConsoleFirstLookTest extends ConsoleTestBase {

    @Autowired
    SandboxDemo demo;

    private HttpClient browser;

    @BeforeEach
    void logIn() throws Exception {
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String loginPage = page("/login").body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage);
        assertThat(csrf.find()).as(loginPage).isTrue();
        String form = "username=" + USER + "&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");
    }

    @Test
    void anUnknownConsoleAddressShowsTheConsolesNotFoundPage() throws Exception {
        for (String path : List.of("/no-such-page", "/returns/sandbox/715327070", "/connections/nope/whatever")) {
            HttpResponse<String> answer = page(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.body()).as(path).contains("Not found").contains("Returnbridge")
                    .doesNotContain("Whitelabel");
        }
    }

    @Test
    void aReturnsApiAddressOpensItsPage() throws Exception {
        long loopReturnId = demo.createReturn(SandboxConnection.ID,
                List.of(new SandboxDemo.DemoItem("TEE-BLK-M", 1)), null).loopReturnId();
        ReturnLink link = awaitState(SandboxConnection.ID, loopReturnId, LinkState.RECEIVED);

        HttpResponse<String> answer = page("/returns/" + SandboxConnection.ID + "/" + loopReturnId);

        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location").orElse("")).endsWith("/returns/" + link.id());
        assertThat(page("/returns/" + link.id()).body()).contains(String.valueOf(loopReturnId));
    }

    @Test
    void theReturnPageOffersOnlyTheActionsThatCanAct() throws Exception {
        long loopReturnId = demo.createReturn(SandboxConnection.ID,
                List.of(new SandboxDemo.DemoItem("TEE-BLK-M", 1)), null).loopReturnId();
        ReturnLink link = awaitState(SandboxConnection.ID, loopReturnId, LinkState.RECEIVED);

        String received = page("/returns/" + link.id()).body();
        assertThat(received).contains("id=\"retry\"").doesNotContain("id=\"rerun\"")
                .contains("there is no RMA yet, so no decision to re-run");

        links.transition(link.id(), LinkState.RECEIVED, LinkState.CANCELLED_IN_LOOP);
        String cancelled = page("/returns/" + link.id()).body();
        assertThat(cancelled).doesNotContain("id=\"retry\"").doesNotContain("id=\"rerun\"")
                .contains("Retry now is not offered: the return was cancelled, expired or closed in Loop");

        links.transition(link.id(), LinkState.CANCELLED_IN_LOOP, LinkState.CLOSED);
        assertThat(page("/returns/" + link.id()).body()).doesNotContain("id=\"retry\"")
                .contains("Retry now is not offered: the return is CLOSED");
    }

    private HttpResponse<String> page(String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Accept", "text/html").GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
