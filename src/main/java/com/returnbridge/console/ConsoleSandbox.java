package com.returnbridge.console;

import com.returnbridge.connection.Connection;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the product's pages ask about the built-in sandbox, when it runs: whether it does, whether a connection talks
 * to it, and a new connection's form filled in for it, through {@link SandboxHooks}.
 */
@Component
class ConsoleSandbox {

    private final ObjectProvider<SandboxHooks> hooks;

    ConsoleSandbox(ObjectProvider<SandboxHooks> hooks) {
        this.hooks = hooks;
    }

    /** The sandbox and its demo run in this instance. */
    boolean running() {
        return hooks.getIfAvailable() != null;
    }

    /** The connection talks to the simulated vendors of this instance. */
    boolean hosts(Connection c) {
        SandboxHooks h = hooks.getIfAvailable();
        return h != null && h.hosts(c);
    }

    /** The new-connection form pointed at the simulated vendors; empty when the sandbox does not run here. */
    Optional<ConnectionInput> newConnectionForm(ConnectionInput blank) {
        SandboxHooks h = hooks.getIfAvailable();
        return h == null ? Optional.empty() : h.newConnectionForm(blank);
    }
}
