package com.returnbridge.sandbox.shiphero;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** ShipHero API ids as observed in the wild: base64 of {@code "<Type>:<legacy_id>"}. */
final class ShipHeroIds {

    private ShipHeroIds() {
    }

    static String encode(String type, long legacyId) {
        return Base64.getEncoder().encodeToString((type + ":" + legacyId).getBytes(StandardCharsets.UTF_8));
    }

    /** The legacy id inside {@code id} when it is an id of {@code type}; empty for anything else. */
    static Optional<Long> legacyIdOf(String id, String type) {
        if (id == null) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(id), StandardCharsets.UTF_8);
            String prefix = type + ":";
            return decoded.startsWith(prefix)
                    ? Optional.of(Long.parseLong(decoded.substring(prefix.length())))
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
