package com.returnbridge.sandbox;

import com.returnbridge.connection.Connection;
import com.returnbridge.console.ConnectionInput;
import com.returnbridge.console.SandboxHooks;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHeroConfiguration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The console's questions about the sandbox, answered by the sandbox itself. */
@Component
@ConditionalOnSandbox
class SandboxConsoleHooks implements SandboxHooks {

    private final SandboxConnection sandbox;

    SandboxConsoleHooks(SandboxConnection sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public boolean hosts(Connection c) {
        return sandbox.baseUrl() != null && c.loop().baseUrl().startsWith(sandbox.baseUrl() + "/sandbox/");
    }

    @Override
    public Optional<ConnectionInput> newConnectionForm(ConnectionInput blank) {
        if (sandbox.baseUrl() == null) {
            return Optional.empty();
        }
        // A shop of its own in the simulated Loop, so the default sandbox connection does not hear its returns.
        String shop = sandbox.shopKey("console-" + Long.toString(System.nanoTime(), 36));
        return Optional.of(new ConnectionInput("", sandbox.baseUrl() + "/sandbox/loop/api/2026-07", shop,
                SandboxLoop.DEFAULT_WEBHOOK_SECRET, sandbox.baseUrl() + "/sandbox/shiphero",
                SandboxShipHeroConfiguration.SANDBOX_REFRESH_TOKEN, null, null, null, null,
                blank.processStatuses(), blank.flagStatuses(), blank.ignoreStatuses(), blank.unmappedAction(),
                blank.closeStatus(), blank.receiptRule(), blank.rmaLabelType(), blank.rmaLabelCost(),
                blank.rmaShippingCarrier(), blank.rmaShippingMethod(), blank.rmaWeight(), blank.rmaLength(),
                blank.rmaWidth(), blank.rmaHeight(), null));
    }
}
