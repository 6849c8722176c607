package com.returnbridge.bridge;

import java.time.OffsetDateTime;

/** One Loop return and its ShipHero RMA, as stored. */
public record ReturnLink(
        long id,
        String connectionId,
        String loopReturnId,
        LinkState state,
        String loopState,
        String loopReturnJson,
        String orderName,
        String shipheroOrderId,
        String shipheroReturnId,
        Long shipheroLegacyId,
        String lastStatus,
        String lastDecision,
        String attentionReason,
        int attempts,
        long hintSeq,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
}
