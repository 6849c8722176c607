package com.returnbridge.sla;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.support.Http;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A person at the console (form login, session cookie, CSRF) and a script at the API (HTTP Basic), over real HTTP. */
final class Browser {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final String base;
    private final String user;
    private final String password;
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    Browser(String base, String user, String password) {
        this.base = base;
        this.user = user;
        this.password = password;
    }

    /** Logs in with the console's form, as a person does. */
    Browser logIn() {
        String form = "username=" + user + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(csrf(page("/login").body()), StandardCharsets.UTF_8);
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");
        return this;
    }

    HttpResponse<String> page(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** Presses a form's button on {@code pagePath}: posts {@code action} with the page's CSRF token. */
    HttpResponse<String> press(String pagePath, String action) {
        String token = csrf(page(pagePath).body());
        return send(HttpRequest.newBuilder(URI.create(base + action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build());
    }

    /** The admin API with HTTP Basic; the answer must be a 2xx. */
    JsonNode api(String method, String path) {
        Http.Answer answer = apiAnswer(method, path);
        assertThat(answer.status()).as(method + " " + path + ": " + answer.body()).isBetween(200, 299);
        return JSON.readTree(answer.body());
    }

    Http.Answer apiAnswer(String method, String path) {
        return Http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF token in the page").isTrue();
        return m.group(1);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
