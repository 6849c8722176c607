package com.returnbridge.console;

import com.returnbridge.connection.Connection;
import java.util.Optional;

/**
 * The one way the console reaches the built-in sandbox: the sandbox implements it when it runs, the console asks
 * through it, and no product class names a sandbox type (the build compiles the product without the sandbox's
 * sources, see pom.xml).
 */
public interface SandboxHooks {

    /** The connection talks to the simulated vendors of this instance. */
    boolean hosts(Connection connection);

    /** The new-connection form pointed at the simulated vendors, the rest as in {@code blank}; empty when not ready. */
    Optional<ConnectionInput> newConnectionForm(ConnectionInput blank);
}
