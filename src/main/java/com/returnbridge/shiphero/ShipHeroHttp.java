package com.returnbridge.shiphero;

import com.returnbridge.connection.Connection;
import com.returnbridge.vendor.RetryAfter;
import com.returnbridge.vendor.VendorException;
import com.returnbridge.vendor.VendorHttp;
import com.returnbridge.vendor.VendorTimeouts;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way Returnbridge talks to ShipHero, for the jobs, the sweep, Connect and the webhook check alike: the
 * access token (obtained from the refresh token here, cached in {@link ShipHeroTokens}, refreshed once on a
 * 401/403), the account's credit budget ({@link ShipHeroCredits}), the vendor call log, and one mapping of every
 * GraphQL answer:
 * <ul>
 *   <li>200 with {@code data.<field>}: success;</li>
 *   <li>200 with {@code errors[]} (ShipHero answers failures with 200): code 30 or "credits" is throttling for the
 *       time ShipHero names, code 5 is {@link NotFound}, code 7 a missing scope, anything else permanent;</li>
 *   <li>401, 403 after one refresh: permanent, the developer user's token needs replacing;</li>
 *   <li>429: throttled, for its {@code Retry-After} or 2 s;</li>
 *   <li>5xx: transient; for a mutation, answered-but-uncertain;</li>
 *   <li>no answer: transient, uncertain for a mutation ({@link VendorHttp});</li>
 *   <li>any other status: permanent, with the body.</li>
 * </ul>
 * After ShipHero itself said "out of credits, try in N s" (429 or code 30) every call on that account waits locally
 * until then instead of spending a request (ShipHero also caps requests per 5 minutes).
 * <p>The refresh ({@code POST /auth/refresh}) answers plain JSON: 400, 401, 403 mean the refresh token is no longer
 * good (permanent), 429 throttled, anything else but 200 transient, as is a 200 without an access token.
 */
@Component
class ShipHeroHttp {

    static final String VENDOR = "shiphero";

    /** ShipHero's "not found" (error code 5), which some callers turn into an empty answer. */
    static final class NotFound extends VendorException {
        NotFound(String message) {
            super(Kind.PERMANENT, message, null, null);
        }
    }

    private final RestClient http;
    private final ShipHeroTokens tokens;
    private final ShipHeroCredits credits;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final VendorHttp vendorHttp;
    private final Map<String, Instant> creditsBackAt = new ConcurrentHashMap<>();

    ShipHeroHttp(VendorTimeouts timeouts, Clock clock, ShipHeroCredits credits, JsonMapper json,
                 MeterRegistry meters, VendorHttp vendorHttp) {
        this.http = RestClient.builder().requestFactory(timeouts.requestFactory()).build();
        this.tokens = new ShipHeroTokens(clock);
        this.credits = credits;
        this.json = json;
        this.meters = meters;
        this.vendorHttp = vendorHttp;
    }

    /** Runs the document and answers {@code data.<field>}; throws a classified {@link VendorException} otherwise. */
    JsonNode execute(Connection connection, GraphQlDocuments document, Map<String, Object> variables, String field) {
        Duration paused = creditsPaused(connection);
        if (paused != null) {
            throw VendorException.throttled("ShipHero is out of credits for " + field + " (told earlier)", paused);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("query", document.text());
        request.put("variables", variables);
        long reserved = credits.reserve(connection, document, variables);
        for (int attempt = 1; ; attempt++) {
            String token = accessToken(connection);
            VendorHttp.Answer raw = post(connection, token, request, field, document.isMutation());
            if (raw.status() == 401 || raw.status() == 403) {
                tokens.invalidate(connection, token);
                if (attempt == 1 && ShipHeroTokens.canRefresh(connection)) {
                    continue;
                }
                throw VendorException.permanent("ShipHero rejected the credentials (HTTP " + raw.status()
                        + "); check the developer user's refresh token");
            }
            if (raw.status() == 429) {
                throw refusedByShipHero(connection, VendorException.throttled("ShipHero answered 429",
                        RetryAfter.seconds(raw.retryAfter(), Duration.ofSeconds(2))));
            }
            if (raw.status() >= 500) {
                String message = "ShipHero " + field + " answered HTTP " + raw.status();
                throw document.isMutation() ? VendorException.answeredWithServerError(message)
                        : VendorException.transientFailure(message, null);
            }
            if (raw.status() != 200) {
                throw VendorException.permanent("ShipHero " + field + " answered HTTP " + raw.status() + ": "
                        + abbreviate(raw.body()));
            }
            JsonNode result;
            try {
                result = payload(raw.body(), field);
            } catch (VendorException e) {
                throw refusedByShipHero(connection, e);
            }
            credits.settle(connection, reserved, result.path("complexity").asLong(0));
            return result;
        }
    }

    /** The connection's access token: the cached one, or one obtained now from its refresh token. */
    String accessToken(Connection connection) {
        return tokens.accessToken(connection, this::refresh);
    }

    /** Forgets the cached access token and obtains a new one (with a bare access token: checks nothing). */
    void refreshAccessToken(Connection connection) {
        String old = accessToken(connection);
        if (ShipHeroTokens.canRefresh(connection)) {
            tokens.invalidate(connection, old);
            accessToken(connection);
        }
    }

    private ShipHeroTokens.Issued refresh(Connection connection) {
        String url = connection.shiphero().baseUrl() + "/auth/refresh";
        Map<String, String> body = Map.of("refresh_token", connection.shiphero().refreshToken().reveal());
        // a refresh is a read for retry purposes: asking again is harmless
        VendorHttp.Answer raw = vendorHttp.exchange(
                new VendorHttp.Call(connection.id(), VENDOR, "token_refresh", false, "POST", url, body),
                http.post().uri(url).contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                        .body(body));
        int status = raw.status();
        if (status == 400 || status == 401 || status == 403) {
            throw VendorException.permanent("ShipHero rejected the refresh token (HTTP " + status
                    + "); generate a new one for the developer user");
        }
        if (status == 429) {
            throw VendorException.throttled("ShipHero token refresh answered 429",
                    RetryAfter.seconds(raw.retryAfter(), Duration.ofSeconds(2)));
        }
        if (status != 200) {
            throw VendorException.transientFailure("ShipHero token refresh failed: HTTP " + status, null);
        }
        JsonNode answer;
        try {
            answer = json.readTree(raw.body());
        } catch (JacksonException e) {
            throw VendorException.transientFailure("ShipHero token refresh answered something that is not JSON", e);
        }
        String value = answer.path("access_token").asString(null);
        if (value == null || value.isBlank()) {
            throw VendorException.transientFailure("ShipHero token refresh answered without an access_token", null);
        }
        long expiresIn = answer.path("expires_in").asLong(Duration.ofDays(28).toSeconds());
        return new ShipHeroTokens.Issued(value, Duration.ofSeconds(expiresIn));
    }

    /**
     * Only ShipHero's own refusals pause the account: our budget's waits and the pause itself must not, or every
     * waiting job would push the pause further and none would ever run.
     */
    private VendorException refusedByShipHero(Connection connection, VendorException e) {
        if (e.kind() == VendorException.Kind.THROTTLED && e.retryAfter() != null) {
            creditsBackAt.merge(account(connection), Instant.now().plus(e.retryAfter()),
                    (a, b) -> a.isAfter(b) ? a : b);
        }
        return e;
    }

    private Duration creditsPaused(Connection connection) {
        Instant back = creditsBackAt.get(account(connection));
        if (back == null) {
            return null;
        }
        Duration left = Duration.between(Instant.now(), back);
        return left.isNegative() || left.isZero() ? null : left;
    }

    /** One credit bucket per ShipHero account: the same URL and user serve every connection of a 3PL. */
    private static String account(Connection connection) {
        var settings = connection.shiphero();
        var user = settings.refreshToken() != null ? settings.refreshToken() : settings.accessToken();
        return settings.baseUrl() + "|" + (user == null ? connection.id() : user.reveal());
    }

    private VendorHttp.Answer post(Connection connection, String token, Map<String, Object> request, String field,
                                   boolean mutation) {
        String url = connection.shiphero().baseUrl() + "/graphql";
        return vendorHttp.exchange(new VendorHttp.Call(connection.id(), VENDOR, field, mutation, "POST", url,
                GraphQlDocuments.forLog(request)), http.post()
                .uri(url)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .body(request));
    }

    private JsonNode payload(String body, String field) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw VendorException.transientFailure("ShipHero answered with something that is not JSON", e);
        }
        JsonNode errors = root.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            throw classify(errors.get(0), field);
        }
        JsonNode result = root.path("data").path(field);
        if (result.isMissingNode() || result.isNull()) {
            throw VendorException.transientFailure("ShipHero answered " + field + " without data", null);
        }
        int complexity = result.path("complexity").asInt(0);
        if (complexity > 0) {
            meters.counter("returnbridge.shiphero.credits", "operation", field).increment(complexity);
        }
        return result;
    }

    private static VendorException classify(JsonNode error, String field) {
        int code = error.path("code").asInt(-1);
        String message = error.path("message").asString("");
        String requestId = error.path("request_id").asString("");
        String where = "ShipHero " + field + ": " + message + (requestId.isEmpty() ? "" : " (request " + requestId + ")");
        if (code == 30 || message.toLowerCase(Locale.ROOT).contains("credits")) {
            Duration wait = RetryAfter.seconds(error.path("time_remaining").asString(null), null);
            if (wait == null) {
                int required = error.path("required_credits").asInt(60);
                int remaining = error.path("remaining_credits").asInt(0);
                wait = Duration.ofMillis(Math.max(1000, (long) ((required - remaining) / 60.0 * 1000)));
            }
            return VendorException.throttled("ShipHero is out of credits for " + field, wait);
        }
        if (code == 5) {
            return new NotFound(where);
        }
        if (code == 7) {
            return VendorException.permanent(where + "; give the developer user the missing scope");
        }
        return VendorException.permanent(where);
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
