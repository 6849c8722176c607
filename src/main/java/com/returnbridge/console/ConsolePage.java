package com.returnbridge.console;

/**
 * Marks a controller that renders console pages: each gets the console's shared model (the user, the states, whether
 * the sandbox runs) and its not-found page ({@link ConsoleModel}), the sandbox's demo pages included.
 */
public interface ConsolePage {
}
