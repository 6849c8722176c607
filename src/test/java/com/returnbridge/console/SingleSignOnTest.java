package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.support.Http;
import com.returnbridge.support.ReturnbridgeTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Single sign-on against a real OpenID Connect provider started in-process (NAV's mock-oauth2-server: discovery,
 * authorization code, signed ID tokens, JWKS, userinfo): the browser's redirect round trip, the group claim mapped to
 * a role, a merchant's connections from a claim, and a person with no mapped role refused.
 */
@ReturnbridgeTest
@TestPropertySource(properties = {
        "returnbridge.sso.client-id=returnbridge-console",
        "returnbridge.sso.client-secret=not-a-real-secret",
        "returnbridge.sso.name=Mock IdP",
        "returnbridge.sso.roles.rb-operators=operator",
        "returnbridge.sso.roles.acme-staff=merchant"})
class SingleSignOnTest {

    static final MockOAuth2Server idp = new MockOAuth2Server();

    static {
        idp.start();
    }

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        registry.add("returnbridge.sso.issuer", () -> idp.issuerUrl("default").toString());
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:sso-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @AfterAll
    static void stop() {
        idp.shutdown();
    }

    @Test
    void anOperatorLogsInThroughTheProviderAndActsUnderTheirOwnName() {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("default", "jane-subject", "JWT",
                List.of("returnbridge-console"), Map.of("email", "jane@3pl.example", "groups",
                List.of("everyone", "rb-operators")), 3600));
        HttpClient browser = browser();
        assertThat(get(browser, "/login").body()).contains("Log in with Mock IdP");

        HttpResponse<String> landed = get(browser, "/oauth2/authorization/sso");
        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.uri().getPath()).isEqualTo("/");
        assertThat(landed.body()).contains("jane@3pl.example").contains("Overview");
        // an operator: may act (the CSRF check answers for a form without its token, not the role), not admin
        assertThat(get(browser, "/users").statusCode()).isEqualTo(403);
        assertThat(get(browser, "/connections/sandbox").statusCode()).isEqualTo(200);

        String users = Http.get(url("/api/users"), Map.of("Authorization", admin())).body();
        assertThat(users).contains("\"username\":\"jane@3pl.example\"").contains("\"role\":\"operator\"")
                .contains("\"source\":\"SSO\"");
    }

    @Test
    void aMerchantsConnectionsComeFromTheirClaims() {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("default", "m-subject", "JWT",
                List.of("returnbridge-console"), Map.of("email", "shop@acme.example", "groups", List.of("acme-staff"),
                "returnbridge_connections", List.of("sandbox")), 3600));
        HttpClient browser = browser();
        HttpResponse<String> landed = get(browser, "/oauth2/authorization/sso");
        assertThat(landed.uri().getPath()).isEqualTo("/");
        assertThat(get(browser, "/connections/sandbox").statusCode()).isEqualTo(200);
        assertThat(get(browser, "/returns?connection=another").statusCode()).isEqualTo(403);
        assertThat(get(browser, "/connections/sandbox/edit").statusCode()).isEqualTo(403);
    }

    @Test
    void aPersonWithNoMappedRoleIsRefused() {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("default", "x-subject", "JWT",
                List.of("returnbridge-console"), Map.of("email", "stranger@elsewhere.example", "groups",
                List.of("marketing")), 3600));
        HttpClient browser = browser();
        HttpResponse<String> landed = get(browser, "/oauth2/authorization/sso");
        assertThat(landed.uri().toString()).contains("/login?sso-error");
        assertThat(landed.body()).contains("no Returnbridge role");
        assertThat(get(browser, "/").uri().getPath()).isEqualTo("/login");
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> get(HttpClient browser, String path) {
        try {
            return browser.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static String admin() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + ReturnbridgeTest.ADMIN_PASSWORD).getBytes());
    }
}
