package com.returnbridge.bridge;

/**
 * A warehouse webhook, read: its type, and for a return update which RMA changed and what it said (a hint, re-read
 * before use). The warehouse client tells which of its webhook types is the return update.
 */
public record WarehouseEvent(String webhookType, boolean returnUpdate, boolean test, String returnUuid,
                             Long returnLegacyId, String status) {

    public boolean isReturnUpdate() {
        return returnUpdate;
    }
}
