package com.returnbridge.console;

import com.returnbridge.connection.Connection;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHeroConfiguration;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the product's pages ask about the built-in sandbox, when it runs: whether it does, whether a connection talks
 * to it, and a new connection's form filled in for it. With {@link DemoPages}, the only console classes that know the
 * sandbox's types.
 */
@Component
class ConsoleSandbox {

    private final ObjectProvider<SandboxDemo> demo;
    private final ObjectProvider<SandboxConnection> sandbox;

    ConsoleSandbox(ObjectProvider<SandboxDemo> demo, ObjectProvider<SandboxConnection> sandbox) {
        this.demo = demo;
        this.sandbox = sandbox;
    }

    /** The sandbox and its demo run in this instance. */
    boolean running() {
        return demo.getIfAvailable() != null;
    }

    /** The connection talks to the simulated vendors of this instance. */
    boolean hosts(Connection c) {
        SandboxConnection sc = sandbox.getIfAvailable();
        return sc != null && sc.baseUrl() != null && c.loop().baseUrl().startsWith(sc.baseUrl() + "/sandbox/");
    }

    /**
     * The new-connection form pointed at the simulated vendors, the rest as in {@code blank}; empty when the sandbox
     * does not run here.
     */
    Optional<ConnectionInput> newConnectionForm(ConnectionInput blank) {
        SandboxConnection sc = sandbox.getIfAvailable();
        if (sc == null || sc.baseUrl() == null) {
            return Optional.empty();
        }
        // A shop of its own in the simulated Loop, so the default sandbox connection does not hear its returns.
        String shop = sc.shopKey("console-" + Long.toString(System.nanoTime(), 36));
        return Optional.of(new ConnectionInput("", sc.baseUrl() + "/sandbox/loop/api/2026-07", shop,
                SandboxLoop.DEFAULT_WEBHOOK_SECRET, sc.baseUrl() + "/sandbox/shiphero",
                SandboxShipHeroConfiguration.SANDBOX_REFRESH_TOKEN, null, null, null, null,
                blank.processStatuses(), blank.flagStatuses(), blank.ignoreStatuses(), blank.unmappedAction(),
                blank.closeStatus(), blank.receiptRule(), blank.rmaLabelType(), blank.rmaLabelCost(),
                blank.rmaShippingCarrier(), blank.rmaShippingMethod(), blank.rmaWeight(), blank.rmaLength(),
                blank.rmaWidth(), blank.rmaHeight(), null));
    }
}
