package com.returnbridge.console;

import com.returnbridge.bridge.NotFound;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * API tokens (Bearer on {@code /api}): each belongs to one user and acts with that user's role. Only the SHA-256 of a
 * token is kept (a token is 32 random bytes, so a plain hash is enough, unlike a password); the token is answered
 * once, when created. A revoked token, or the token of a disabled or deleted user, no longer authenticates.
 */
@Repository
public class ApiTokens {

    /** Tokens start with this, so a leaked one is easy to recognise (and to search for in logs and repositories). */
    static final String PREFIX = "rbt_";
    /** How stale {@code last_used_at} may get before a use writes it again (a write per request is not worth it). */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** A token as listed: never the token itself. */
    public record Token(long id, String username, String name, String prefix, OffsetDateTime createdAt,
                        OffsetDateTime lastUsedAt, OffsetDateTime revokedAt) {
    }

    /** A token just created: the only time {@code token} is seen. */
    public record Created(long id, String username, String name, String prefix, OffsetDateTime createdAt,
                          String token) {
    }

    private final JdbcClient jdbc;
    private final Users users;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiTokens(JdbcClient jdbc, Users users, Clock clock) {
        this.jdbc = jdbc;
        this.users = users;
        this.clock = clock;
    }

    public Created create(String username, String name) {
        users.find(username).orElseThrow(() -> new NotFound("no user " + username));
        String label = name == null || name.isBlank() ? null : name.trim();
        if (label != null && label.length() > 100) {
            throw new IllegalArgumentException("token name must have at most 100 characters");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String prefix = token.substring(0, 10);
        OffsetDateTime now = now();
        jdbc.sql("INSERT INTO api_token (username, token_hash, prefix, name, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(username, hash(token), prefix, label, now).update();
        long id = jdbc.sql("SELECT id FROM api_token WHERE token_hash = ?").param(hash(token)).query(Long.class)
                .single();
        return new Created(id, username, label, prefix, now, token);
    }

    public List<Token> list(String username) {
        return jdbc.sql("""
                SELECT id, username, name, prefix, created_at, last_used_at, revoked_at FROM api_token
                 WHERE username = ? ORDER BY id DESC""").param(username).query(Token.class).list();
    }

    /** Revokes the user's token; false when the user has no such token. Revoking twice changes nothing. */
    public boolean revoke(String username, long id) {
        return jdbc.sql("UPDATE api_token SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND username = ?")
                .params(now(), id, username).update() == 1;
    }

    /** The user a presented token acts for, when it is a live token of an enabled user. */
    public Optional<Users.User> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        record Row(long id, String username, OffsetDateTime lastUsedAt) {
        }
        Optional<Row> row = jdbc.sql("""
                SELECT id, username, last_used_at FROM api_token WHERE token_hash = ? AND revoked_at IS NULL""")
                .param(hash(token)).query(Row.class).optional();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        OffsetDateTime now = now();
        if (row.get().lastUsedAt() == null || row.get().lastUsedAt().isBefore(now.minus(TOUCH_EVERY))) {
            jdbc.sql("UPDATE api_token SET last_used_at = ? WHERE id = ?").params(now, row.get().id()).update();
        }
        return users.find(row.get().username()).filter(u -> !u.disabled());
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
