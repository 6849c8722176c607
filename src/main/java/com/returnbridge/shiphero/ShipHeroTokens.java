package com.returnbridge.shiphero;

import com.returnbridge.vendor.VendorException;
import com.returnbridge.connection.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import com.returnbridge.vendor.VendorHttp;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access tokens from the refresh token ({@code POST /auth/refresh}), kept until a day before they expire (they
 * last about 28 days) or until ShipHero answers 401, whichever comes first.
 */
@Component
public class ShipHeroTokens {

    private static final Duration MARGIN = Duration.ofDays(1);

    private record Token(String value, Instant refreshAfter) {
    }

    private final Map<String, Token> byConnection = new ConcurrentHashMap<>();
    private final RestClient http;
    private final Clock clock;
    private final VendorHttp vendorHttp;
    private final JsonMapper json;

    public ShipHeroTokens(com.returnbridge.vendor.VendorTimeouts timeouts, Clock clock, VendorHttp vendorHttp,
                          JsonMapper json) {
        this.http = RestClient.builder().requestFactory(timeouts.requestFactory()).build();
        this.clock = clock;
        this.vendorHttp = vendorHttp;
        this.json = json;
    }

    public String accessToken(Connection connection) {
        Token token = byConnection.get(connection.id());
        if (token != null && clock.instant().isBefore(token.refreshAfter())) {
            return token.value();
        }
        synchronized (this) {
            token = byConnection.get(connection.id());
            if (token != null && clock.instant().isBefore(token.refreshAfter())) {
                return token.value();
            }
            token = obtain(connection);
            byConnection.put(connection.id(), token);
            return token.value();
        }
    }

    /** The token was refused: forget it so the next call refreshes. */
    public void invalidate(Connection connection, String refused) {
        byConnection.computeIfPresent(connection.id(), (id, t) -> t.value().equals(refused) ? null : t);
    }

    public boolean canRefresh(Connection connection) {
        return connection.shiphero().refreshToken() != null;
    }

    private Token obtain(Connection connection) {
        if (connection.shiphero().refreshToken() == null) {
            if (connection.shiphero().accessToken() == null) {
                throw VendorException.permanent("no ShipHero refresh token or access token configured");
            }
            return new Token(connection.shiphero().accessToken().reveal(), Instant.MAX);
        }
        String url = connection.shiphero().baseUrl() + "/auth/refresh";
        Map<String, String> body = Map.of("refresh_token", connection.shiphero().refreshToken().reveal());
        // a refresh is a read for retry purposes: asking again is harmless
        VendorHttp.Answer raw = vendorHttp.exchange(
                new VendorHttp.Call(connection.id(), "shiphero", "token_refresh", false, "POST", url, body),
                http.post().uri(url).contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                        .body(body));
        int status = raw.status();
        if (status == 400 || status == 401 || status == 403) {
            throw VendorException.permanent("ShipHero rejected the refresh token (HTTP " + status
                    + "); generate a new one for the developer user");
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
        Duration life = Duration.ofSeconds(expiresIn);
        Duration keep = life.compareTo(MARGIN.multipliedBy(2)) > 0 ? life.minus(MARGIN) : life.dividedBy(2);
        return new Token(value, clock.instant().plus(keep));
    }
}
