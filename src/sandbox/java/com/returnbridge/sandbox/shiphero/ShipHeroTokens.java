package com.returnbridge.sandbox.shiphero;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Refresh tokens stay valid for the account's life; access tokens are random and can all be expired at once. */
final class ShipHeroTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();

    String addRefreshToken(String refreshToken) {
        String token = refreshToken != null ? refreshToken : random(32);
        refreshTokens.add(token);
        return token;
    }

    boolean knowsRefreshToken(String refreshToken) {
        return refreshToken != null && refreshTokens.contains(refreshToken);
    }

    /** Opaque rather than a real JWT: clients must not look inside ShipHero's tokens anyway. */
    String issueAccessToken() {
        String token = "shsb_" + random(36);
        accessTokens.add(token);
        return token;
    }

    boolean isValidAccessToken(String accessToken) {
        return accessToken != null && accessTokens.contains(accessToken);
    }

    void expireAccessTokens() {
        accessTokens.clear();
    }

    private static String random(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }
}
