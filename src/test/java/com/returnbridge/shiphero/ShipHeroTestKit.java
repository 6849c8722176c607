package com.returnbridge.shiphero;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Secret;
import com.returnbridge.vendor.VendorFixture;
import com.returnbridge.vendor.VendorTestServer;
import tools.jackson.databind.JsonNode;

/** ShipHero's clients over one {@link ShipHeroHttp}, against a scripted HTTP server standing in for ShipHero. */
final class ShipHeroTestKit implements AutoCloseable {

    final VendorFixture vendor = new VendorFixture();
    final VendorTestServer shiphero = VendorTestServer.start();
    final ShipHeroHttp http = new ShipHeroHttp(vendor.timeouts, vendor.clock, new ShipHeroCredits(vendor.budgets, 4004, 60),
            vendor.json, vendor.meters, vendor.http);

    /** A connection with a bare access token (no refresh), or with a refresh token when {@code refresh}. */
    Connection connection(String id, boolean refresh) {
        return new Connection(id,
                new Connection.LoopSettings("http://127.0.0.1:1", Secret.of("k"), Secret.of("w")),
                new Connection.ShipHeroSettings(shiphero.baseUrl(), refresh ? Secret.of("refresh-" + id) : null,
                        refresh ? null : Secret.of("access-" + id), null, "CA1", "WH1", null),
                null, null, null);
    }

    /** A 200 with {@code data.<field>} = {@code result}. */
    static String data(String field, String result) {
        return "{\"data\":{\"" + field + "\":" + result + "}}";
    }

    /** A 200 carrying a GraphQL error, as ShipHero reports failures. */
    static String error(int code, String message, String extra) {
        return "{\"errors\":[{\"code\":" + code + ",\"message\":\"" + message + "\"" + extra + "}],\"data\":null}";
    }

    JsonNode lastRequest() {
        return vendor.json.readTree(shiphero.last().body());
    }

    @Override
    public void close() {
        shiphero.close();
        vendor.close();
    }
}
