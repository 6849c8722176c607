package com.returnbridge.bridge;

/** A ShipHero "Return Update" webhook, read: which RMA changed and what it said (a hint, re-read before use). */
public record WarehouseEvent(String webhookType, boolean test, String returnUuid, Long returnLegacyId, String status) {

    public boolean isReturnUpdate() {
        return "Return Update".equalsIgnoreCase(webhookType == null ? "" : webhookType.trim());
    }
}
