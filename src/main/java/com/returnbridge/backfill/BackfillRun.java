package com.returnbridge.backfill;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** One backfill as stored in {@code backfill_run}: what was asked, where it stands (the cursor) and what it found. */
public record BackfillRun(
        long id,
        String connectionId,
        String requestedBy,
        LocalDate fromDate,
        LocalDate toDate,
        String returnIds,
        String state,
        OffsetDateTime windowFrom,
        String pageUrl,
        int statePass,
        int idsDone,
        int pages,
        int found,
        int created,
        int updated,
        int duplicates,
        int ignored,
        int failed,
        int retries,
        int attempts,
        String note,
        String errors,
        String reason,
        String cancelledBy,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime updatedAt,
        OffsetDateTime finishedAt) {

    /** The counts in one line, for the timeline. */
    public String counts() {
        return "found " + found + ", new " + created + ", updated " + updated + ", duplicate " + duplicates
                + ", ignored " + ignored + ", failed " + failed + " (" + pages + " page(s), " + retries
                + " retry/retries)";
    }

    public enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    public State stateEnum() {
        return State.valueOf(state);
    }

    public boolean finished() {
        State s = stateEnum();
        return s == State.DONE || s == State.FAILED || s == State.CANCELLED;
    }

    public List<String> ids() {
        return returnIds == null || returnIds.isBlank() ? List.of() : Arrays.asList(returnIds.split(","));
    }

    public boolean hasRange() {
        return fromDate != null;
    }
}
