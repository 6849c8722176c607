package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.StatusPolicy;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.support.Http;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Team access over real HTTP: users made by the admin API, each acting with their own role; a merchant user sees,
 * searches and opens only its own connection's returns, deliveries and pages, URL guessing included; API tokens are
 * shown once, act as their user, and stop at revocation; login failures are limited and logged without the password;
 * the timeline names the person; the console shows times in the person's zone while the API stays UTC.
 */
@ExtendWith(OutputCaptureExtension.class)
class TeamAccessTest extends ConsoleTestBase {

    static final String MINE = "acme-team";
    static final String THEIRS = "globex-team";
    static final String PW = "a-long-password-1";

    @Autowired
    SandboxDemo demo;
    @Autowired
    Timeline timeline;
    @Autowired
    ConsoleQueries queries;

    ReturnLink mine;
    ReturnLink theirs;

    @BeforeEach
    void twoMerchantsAndTheirPeople() {
        for (String id : List.of(MINE, THEIRS)) {
            if (links.findByState(id, LinkState.RMA_CREATED).isEmpty()) {
                sandbox.register(id, null, StatusPolicy.defaults());
                long loopId = demo.createReturn(id, List.of(new SandboxDemo.DemoItem("TEAM-TEE", 1)), null)
                        .loopReturnId();
                awaitState(id, loopId, LinkState.RMA_CREATED);
            }
        }
        mine = links.findByState(MINE, LinkState.RMA_CREATED).get(0);
        theirs = links.findByState(THEIRS, LinkState.RMA_CREATED).get(0);
        createUser("acme-merchant", "merchant", "[\"" + MINE + "\"]");
        createUser("jane-operator", "operator", "[]");
        createUser("vic-viewer", "viewer", "[]");
    }

    private void createUser(String username, String role, String connections) {
        Http.Answer a = call("POST", "/api/users", """
                {"username":"%s","password":"%s","role":"%s","connections":%s}"""
                .formatted(username, PW, role, connections));
        assertThat(a.status()).as(a.body()).isIn(201, 409);
    }

    // ---------------------------------------------------------------- the merchant's view

    @Test
    void aMerchantSeesAndSearchesOnlyItsOwnReturnsInTheApi() {
        JsonNode all = ok(as("acme-merchant", "GET", "/api/returns?limit=500"));
        assertThat(all.size()).isPositive();
        all.forEach(r -> assertThat(r.path("connectionId").asString()).isEqualTo(MINE));
        assertThat(ok(as("acme-merchant", "GET", "/api/returns?q=" + theirs.loopReturnId())).size()).isZero();
        assertThat(ok(as("acme-merchant", "GET", "/api/returns?q=" + mine.loopReturnId())).size()).isEqualTo(1);
        assertThat(ok(as("acme-merchant", "GET", "/api/connections")).findValuesAsString("id"))
                .containsExactly(MINE);
        assertThat(ok(as("acme-merchant", "GET", "/api/overview")).toString()).contains(MINE).doesNotContain(THEIRS)
                .doesNotContain("\"sandbox\"");
        JsonNode deliveries = ok(as("acme-merchant", "GET", "/api/deliveries?limit=500"));
        assertThat(deliveries.size()).isPositive();
        ok(as("acme-merchant", "GET", "/api/returns/" + MINE + "/" + mine.loopReturnId()));
        ok(as("acme-merchant", "GET", "/api/connections/" + MINE + "/vendor-calls"));
        // the aging queue and the exceptions, asked without a connection: the merchant's own only
        assertThat(ok(as("acme-merchant", "GET", "/api/aging")).toString()).doesNotContain(THEIRS);
        assertThat(ok(as("acme-merchant", "GET", "/api/exceptions")).toString()).doesNotContain(THEIRS);
    }

    @Test
    void theChartsThatAddConnectionsUpCountAMerchantsOwnOnly() {
        timeline.record(theirs, com.returnbridge.bridge.TimelineKind.LOOP_FLAGGED, "flagged, for the charts test");
        int merchantsTotal = flaggedToday(ok(as("acme-merchant", "GET", "/api/charts/outcomes")));
        int merchantsOwn = flaggedToday(ok(as("acme-merchant", "GET", "/api/connections/" + MINE + "/charts/outcomes")));
        int staffTotal = flaggedToday(ok(as("jane-operator", "GET", "/api/charts/outcomes")));

        assertThat(merchantsTotal).isEqualTo(merchantsOwn);
        assertThat(staffTotal).isGreaterThan(merchantsTotal);
        assertThat(as("acme-merchant", "GET", "/api/connections/" + THEIRS + "/charts/outcomes").status())
                .isEqualTo(403);
    }

    private static int flaggedToday(JsonNode outcomes) {
        JsonNode counts = outcomes.path("series").valueStream()
                .filter(x -> x.path("outcome").asString().equals("flagged")).findFirst().orElseThrow().path("counts");
        return counts.get(counts.size() - 1).asInt();
    }

    @Test
    void aMerchantGuessingAnotherMerchantsAddressesIsRefused() {
        long theirDelivery = queries.deliveriesFor(theirs).get(0).id();
        for (String path : List.of("/api/returns?connection=" + THEIRS,
                "/api/returns/" + THEIRS + "/" + theirs.loopReturnId(), "/api/connections/" + THEIRS,
                "/api/connections/" + THEIRS + "/vendor-calls", "/api/connections/" + THEIRS + "/backfills",
                "/api/connections/" + THEIRS + "/deliveries/unreadable", "/api/connections/" + THEIRS + "/rejections",
                "/api/deliveries?connection=" + THEIRS, "/api/deliveries/" + theirDelivery,
                "/api/aging?connection=" + THEIRS)) {
            Http.Answer a = as("acme-merchant", "GET", path);
            assertThat(a.status()).as(path).isEqualTo(403);
        }
        // no action at all, on its own returns included
        assertThat(as("acme-merchant", "POST", "/api/deliveries/" + theirDelivery + "/replay").status())
                .isEqualTo(403);
        assertThat(as("acme-merchant", "POST", "/api/returns/" + MINE + "/" + mine.loopReturnId() + "/retry")
                .status()).isEqualTo(403);
        // the pages, in a logged-in browser session
        Session s = login("acme-merchant", PW);
        for (String path : List.of("/returns/" + theirs.id(), "/returns/" + theirs.id() + "/story",
                "/returns/" + THEIRS + "/" + theirs.loopReturnId(), "/connections/" + THEIRS,
                "/connections/" + THEIRS + "/backfills", "/deliveries/" + theirDelivery + "/body",
                "/returns?connection=" + THEIRS)) {
            assertThat(s.get(path).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(s.get("/returns/" + mine.id()).statusCode()).isEqualTo(200);
        String list = s.get("/returns?size=200").body();
        assertThat(list).contains(mine.loopReturnId()).doesNotContain(theirs.loopReturnId());
        assertThat(s.get("/returns?q=" + theirs.loopReturnId()).body()).doesNotContain("/returns/" + theirs.id());
        String overview = s.get("/").body();
        assertThat(overview).contains(MINE).doesNotContain(THEIRS);
        assertThat(s.get("/connections").body()).contains(MINE).doesNotContain(THEIRS);
        assertThat(s.get("/users").statusCode()).isEqualTo(403);
    }

    // ---------------------------------------------------------------- tokens and who did it

    @Test
    void aTokenIsShownOnceActsAsItsUserAndStopsWhenRevoked() {
        JsonNode created = ok(call("POST", "/api/users/jane-operator/tokens", "{\"name\":\"nightly script\"}"));
        String token = created.path("token").asString();
        assertThat(token).startsWith("rbt_").hasSizeGreaterThan(40);
        JsonNode listed = ok(call("GET", "/api/users/jane-operator/tokens", null));
        assertThat(listed.toString()).doesNotContain(token).contains("nightly script");

        assertThat(bearer(token, "GET", "/api/returns").status()).isEqualTo(200);
        assertThat(bearer(token, "POST", "/api/users").status()).as("an operator's token is an operator").isEqualTo(403);
        ok(bearer(token, "POST", "/api/returns/" + MINE + "/" + mine.loopReturnId() + "/retry"));
        assertThat(timeline.forLink(mine.id())).extracting(Timeline.Entry::message)
                .anyMatch(m -> m.contains("retry requested by jane-operator"));

        long id = created.path("id").asLong();
        assertThat(call("DELETE", "/api/users/jane-operator/tokens/" + id, null).status()).isEqualTo(204);
        Http.Answer after = bearer(token, "GET", "/api/returns");
        assertThat(after.status()).isEqualTo(401);
        assertThat(bearer("rbt_made-up", "GET", "/api/returns").status()).isEqualTo(401);
    }

    @Test
    void eachPersonManagesTheirOwnTokensOnly() {
        JsonNode own = ok(as("acme-merchant", "POST", "/api/users/me/tokens"));
        JsonNode mineToo = ok(bearer(own.path("token").asString(), "GET", "/api/returns"));
        mineToo.forEach(r -> assertThat(r.path("connectionId").asString()).isEqualTo(MINE));
        assertThat(as("acme-merchant", "POST", "/api/users/jane-operator/tokens").status()).isEqualTo(403);
        assertThat(as("acme-merchant", "GET", "/api/users").status()).isEqualTo(403);
        assertThat(as("acme-merchant", "PUT", "/api/users/me", "{\"role\":\"admin\"}").status()).isEqualTo(403);
    }

    // ---------------------------------------------------------------- users

    @Test
    void theUsersApiChecksWhatItIsGiven() {
        assertThat(call("POST", "/api/users", "{\"username\":\"x1\",\"password\":\"short\",\"role\":\"viewer\"}")
                .status()).isEqualTo(400);
        assertThat(call("POST", "/api/users", "{\"username\":\"x1\",\"password\":\"" + PW + "\",\"role\":\"boss\"}")
                .status()).isEqualTo(400);
        assertThat(call("POST", "/api/users", "{\"username\":\"x1\",\"password\":\"" + PW
                + "\",\"role\":\"merchant\"}").body()).contains("at least one connection");
        assertThat(call("POST", "/api/users", "{\"username\":\"x1\",\"password\":\"" + PW
                + "\",\"role\":\"merchant\",\"connections\":[\"no-such\"]}").status()).isEqualTo(400);
        assertThat(call("POST", "/api/users", "{\"username\":\"jane-operator\",\"password\":\"" + PW
                + "\",\"role\":\"viewer\"}").status()).isEqualTo(409);
        assertThat(call("DELETE", "/api/users/" + USER, null).status()).as("the only admin").isEqualTo(409);
        JsonNode users = ok(call("GET", "/api/users", null));
        assertThat(users.toString()).contains("acme-merchant").doesNotContain(PW).doesNotContain("bcrypt");

        createUser("short-lived", "viewer", "[]");
        assertThat(as("short-lived", "GET", "/api/returns").status()).isEqualTo(200);
        assertThat(call("DELETE", "/api/users/short-lived", null).status()).isEqualTo(204);
        assertThat(as("short-lived", "GET", "/api/returns").status()).isEqualTo(401);
    }

    @Test
    void loginFailuresAreLimitedPerUserAndLoggedWithoutThePassword(CapturedOutput output) {
        createUser("guess-me", "viewer", "[]");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(basicAs("guess-me", "wrong-guess-" + i, "GET", "/api/returns").status());
        }
        assertThat(statuses).containsOnly(401);
        Http.Answer throttled = basicAs("guess-me", PW, "GET", "/api/returns");
        assertThat(throttled.status()).as("even the right password, for now").isEqualTo(429);
        assertThat(throttled.body()).contains("too many failed logins");
        assertThat(login("guess-me", PW).loggedIn).isFalse();
        // another user from the same address is not held up
        assertThat(as("vic-viewer", "GET", "/api/returns").status()).isEqualTo(200);
        assertThat(output.getOut()).contains("login failed for user 'guess-me'")
                .contains("login refused for user 'guess-me'").doesNotContain("wrong-guess-");
    }

    @Test
    void aViewerIsOfferedNoActionsAndChangesTheirOwnPassword() {
        createUser("pat-viewer", "viewer", "[]");
        Session s = login("pat-viewer", PW);
        String connection = s.get("/connections/" + MINE).body();
        assertThat(connection).doesNotContain("id=\"pause\"").doesNotContain("id=\"connect\"")
                .doesNotContain("Edit settings");
        assertThat(s.get("/returns/" + mine.id()).body()).contains("reads only").doesNotContain("id=\"retry\"");

        Matcher csrf = CSRF.matcher(s.get("/profile").body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> changed = s.send(HttpRequest.newBuilder(URI.create(base() + "/profile/password"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("current=" + enc(PW) + "&next=" + enc("a-new-password-2")
                        + "&_csrf=" + enc(csrf.group(1)))).build());
        assertThat(changed.statusCode()).isEqualTo(302);
        assertThat(s.get("/profile").body()).contains("password changed");
        assertThat(basicAs("pat-viewer", PW, "GET", "/api/returns").status()).isEqualTo(401);
        assertThat(basicAs("pat-viewer", "a-new-password-2", "GET", "/api/returns").status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- time zones

    @Test
    void theConsoleShowsTimesInThePersonsZoneAndTheApiStaysUtc() {
        assertThat(as("vic-viewer", "PUT", "/api/users/me", "{\"timeZone\":\"Mars/Olympus\"}").status())
                .isEqualTo(400);
        ok(as("vic-viewer", "PUT", "/api/users/me", "{\"timeZone\":\"Asia/Tokyo\"}"));
        Session s = login("vic-viewer", PW);
        String page = s.get("/returns?connection=" + MINE).body();
        assertThat(page).contains("times in Asia/Tokyo").contains(" JST");
        assertThat(s.get("/returns/" + mine.id()).body()).contains(" JST");
        JsonNode api = ok(as("vic-viewer", "GET", "/api/returns?connection=" + MINE));
        assertThat(api.get(0).path("createdAt").asString()).endsWith("Z");
        ok(as("vic-viewer", "PUT", "/api/users/me", "{\"timeZone\":\"\"}"));
        assertThat(s.get("/returns?connection=" + MINE).body()).contains("times in UTC").contains(" UTC");
    }

    // ---------------------------------------------------------------- plumbing

    private Http.Answer as(String username, String method, String path) {
        return as(username, method, path, null);
    }

    private Http.Answer as(String username, String method, String path, String body) {
        return basicAs(username, PW, method, path, body);
    }

    private Http.Answer basicAs(String username, String password, String method, String path) {
        return basicAs(username, password, method, path, null);
    }

    private Http.Answer basicAs(String username, String password, String method, String path, String body) {
        String auth = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes());
        return send(auth, method, path, body);
    }

    private Http.Answer bearer(String token, String method, String path) {
        return send("Bearer " + token, method, path, null);
    }

    private Http.Answer send(String authorization, String method, String path, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** A browser-like session: the login form with its CSRF token, then the session cookie. */
    Session login(String username, String password) {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        Session s = new Session(client);
        Matcher m = CSRF.matcher(s.get("/login").body());
        assertThat(m.find()).isTrue();
        String form = "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(m.group(1));
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        s.loggedIn = r.statusCode() == 302 && !r.headers().firstValue("Location").orElse("").contains("/login");
        return s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    final class Session {
        final HttpClient client;
        boolean loggedIn;

        Session(HttpClient client) {
            this.client = client;
        }

        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build());
        }

        HttpResponse<String> send(HttpRequest request) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
