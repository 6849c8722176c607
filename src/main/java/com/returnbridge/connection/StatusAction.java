package com.returnbridge.connection;

import java.util.Locale;

/** What the bridge does in Loop when the warehouse sets a ShipHero return status. */
public enum StatusAction {
    PROCESS, FLAG, IGNORE;

    public static StatusAction parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
