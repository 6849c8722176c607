package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.OperatorActions;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHeroConfiguration;
import com.returnbridge.support.FastJobs;
import com.returnbridge.support.Http;
import com.returnbridge.support.ReturnbridgeTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One application for the console tests (one Spring context, shared by every subclass): H2 in memory, the sandbox,
 * fast job retries, a known admin password and a known secrets key; the simulators are reset after each test. Public for the tests of the monitors, which run
 * in the same application.
 */
@ReturnbridgeTest
@FastJobs
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:console-tests;DB_CLOSE_DELAY=-1",
        "returnbridge.admin.username=operator",
        "returnbridge.admin.password=" + ConsoleTestBase.PASSWORD,
        "returnbridge.secrets.key=" + ConsoleTestBase.SECRETS_KEY,
        "returnbridge.jobs.order-lookup-window=PT4S",
        "returnbridge.http.read=PT3S",
        "returnbridge.backfill.page-size=3",
        "returnbridge.backfill.paused-wait=PT0.5S"})
@AutoConfigureMockMvc
public abstract class ConsoleTestBase {

    protected static final String USER = "operator";
    static final String PASSWORD = "console-test-password";
    static final String SECRETS_KEY = "q6ZoBV0S1Q2nFPqJ9w0l4m6i4bYt0rL2dYc3cTq8o0E=";

    @LocalServerPort
    protected int port;
    @Autowired
    protected SandboxConnection sandbox;
    @Autowired
    protected OperatorActions actions;
    @Autowired
    protected ReturnLinks links;

    @BeforeEach
    void quietDefaultSandboxConnection() {
        // The default "sandbox" connection listens to the same simulated shop as the connections the tests create;
        // paused, it stores its deliveries but does no work, so each return is handled by one connection only.
        actions.pause(SandboxConnection.ID, "test-setup");
    }

    protected final JsonMapper json = JsonMapper.builder().build();

    protected String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The admin API over real HTTP, as a script calls it (HTTP Basic). */
    protected Http.Answer call(String method, String path, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Waits (30 s at most) for the connection's Loop return to reach the state, and returns its link. */
    protected ReturnLink awaitState(String connectionId, long loopReturnId, LinkState state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> links
                .findByLoopId(connectionId, String.valueOf(loopReturnId)).map(l -> l.state() == state).orElse(false));
        return links.findByLoopId(connectionId, String.valueOf(loopReturnId)).orElseThrow();
    }

    /** The answer's JSON, after checking it is a 2xx. */
    protected JsonNode ok(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
        return json.readTree(answer.body());
    }

    static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes());
    }

    /** A connection to the simulators, as an operator would create it (JSON for POST /api/connections). */
    String sandboxConnectionJson(String id) {
        return """
                {"id":"%s","loopBaseUrl":"%s/sandbox/loop/api/v1","loopApiKey":"%s","loopWebhookSecret":"%s",
                 "shipheroBaseUrl":"%s/sandbox/shiphero","shipheroRefreshToken":"%s"}"""
                .formatted(id, sandbox.baseUrl(), SandboxLoop.SANDBOX_API_KEY, SandboxLoop.DEFAULT_WEBHOOK_SECRET,
                        sandbox.baseUrl(), SandboxShipHeroConfiguration.SANDBOX_REFRESH_TOKEN);
    }
}
