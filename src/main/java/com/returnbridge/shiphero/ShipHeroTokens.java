package com.returnbridge.shiphero;

import com.returnbridge.connection.Connection;
import com.returnbridge.vendor.VendorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Access tokens per connection, kept until a day before they expire (ShipHero's last about 28 days) or until
 * ShipHero refuses one, whichever comes first. Obtaining one is {@link ShipHeroHttp}'s job, like every call.
 */
final class ShipHeroTokens {

    private static final Duration MARGIN = Duration.ofDays(1);

    /** What a refresh answered: the access token and how long ShipHero says it lasts. */
    record Issued(String value, Duration life) {
    }

    private record Token(String value, Instant refreshAfter) {
    }

    private final Map<String, Token> byConnection = new ConcurrentHashMap<>();
    private final Clock clock;

    ShipHeroTokens(Clock clock) {
        this.clock = clock;
    }

    String accessToken(Connection connection, Function<Connection, Issued> refresh) {
        Token token = byConnection.get(connection.id());
        if (token != null && clock.instant().isBefore(token.refreshAfter())) {
            return token.value();
        }
        synchronized (this) {
            token = byConnection.get(connection.id());
            if (token != null && clock.instant().isBefore(token.refreshAfter())) {
                return token.value();
            }
            token = obtain(connection, refresh);
            byConnection.put(connection.id(), token);
            return token.value();
        }
    }

    /** The token was refused: forget it so the next call refreshes. */
    void invalidate(Connection connection, String refused) {
        byConnection.computeIfPresent(connection.id(), (id, t) -> t.value().equals(refused) ? null : t);
    }

    static boolean canRefresh(Connection connection) {
        return connection.shiphero().refreshToken() != null;
    }

    private Token obtain(Connection connection, Function<Connection, Issued> refresh) {
        if (!canRefresh(connection)) {
            if (connection.shiphero().accessToken() == null) {
                throw VendorException.permanent("no ShipHero refresh token or access token configured");
            }
            return new Token(connection.shiphero().accessToken().reveal(), Instant.MAX);
        }
        Issued issued = refresh.apply(connection);
        Duration life = issued.life();
        Duration keep = life.compareTo(MARGIN.multipliedBy(2)) > 0 ? life.minus(MARGIN) : life.dividedBy(2);
        return new Token(issued.value(), clock.instant().plus(keep));
    }
}
