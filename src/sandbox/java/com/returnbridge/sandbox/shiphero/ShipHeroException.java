package com.returnbridge.sandbox.shiphero;

/** A business error ShipHero reports in {@code errors[]} with a numeric code, the field answering null. */
final class ShipHeroException extends RuntimeException {

    static final int NOT_FOUND = 5;
    static final int INVALID = 9;

    private final int code;

    ShipHeroException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static ShipHeroException notFound(String message) {
        return new ShipHeroException(NOT_FOUND, message);
    }

    static ShipHeroException invalid(String message) {
        return new ShipHeroException(INVALID, message);
    }

    int code() {
        return code;
    }
}
