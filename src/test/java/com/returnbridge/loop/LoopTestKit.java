package com.returnbridge.loop;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Secret;
import com.returnbridge.vendor.VendorFixture;
import com.returnbridge.vendor.VendorTestServer;

/** Loop's clients over one {@link LoopHttp}, against a scripted HTTP server standing in for Loop. */
final class LoopTestKit implements AutoCloseable {

    static final String API_KEY = "loop-key-1";

    final VendorFixture vendor = new VendorFixture();
    final VendorTestServer loop = VendorTestServer.start();
    final LoopHttp http = new LoopHttp(vendor.timeouts, vendor.json, vendor.http, new LoopQuota(vendor.budgets, 6000));
    final Connection connection = new Connection("c-loop",
            new Connection.LoopSettings(loop.baseUrl(), Secret.of(API_KEY), Secret.of("whsec")),
            new Connection.ShipHeroSettings("http://127.0.0.1:1", null, Secret.of("t"), null, null, "WH", null),
            null, null, null);

    @Override
    public void close() {
        loop.close();
        vendor.close();
    }
}
