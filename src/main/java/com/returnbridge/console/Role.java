package com.returnbridge.console;

import java.util.Locale;

/**
 * What a person may do. Admin includes operator, operator includes viewer (Spring's role hierarchy,
 * {@link SecurityConfiguration}); a merchant reads like a viewer, but only the connections named on the user.
 */
public enum Role {
    /** Connections, their secrets and settings, users; and everything an operator does. */
    ADMIN,
    /** Every action on returns: retry, replay, re-run, bulk actions, backfill, pause and resume. */
    OPERATOR,
    /** Reads everything, changes nothing. */
    VIEWER,
    /** Reads its own connections' returns and nothing else. */
    MERCHANT;

    /** The Spring Security authority of this role ({@code ROLE_ADMIN}, …). */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The role named (any case), or an IllegalArgumentException listing the roles. */
    public static Role parse(String name) {
        if (name != null) {
            for (Role r : values()) {
                if (r.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("role must be one of admin, operator, viewer, merchant");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
