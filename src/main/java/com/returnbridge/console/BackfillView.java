package com.returnbridge.console;

import com.returnbridge.backfill.BackfillRun;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * A backfill run as the API and the console show it: the request, its state, progress (percent of the date range and
 * ids done), counts, the latest note (waiting, retrying…), errors of single returns and, once ended, why.
 */
public record BackfillView(
        long id,
        String connectionId,
        String state,
        String requestedBy,
        LocalDate from,
        LocalDate to,
        List<String> returnIds,
        int idsDone,
        int progress,
        int pages,
        int found,
        int created,
        int updated,
        int duplicates,
        int ignored,
        int failed,
        int retries,
        String note,
        List<String> errors,
        String reason,
        String cancelledBy,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime finishedAt,
        String statusUrl) {

    public boolean active() {
        return "QUEUED".equals(state) || "RUNNING".equals(state);
    }

    static BackfillView of(BackfillRun r) {
        return new BackfillView(r.id(), r.connectionId(), r.state(), r.requestedBy(), r.fromDate(), r.toDate(),
                r.ids(), r.idsDone(), progress(r), r.pages(), r.found(), r.created(), r.updated(), r.duplicates(),
                r.ignored(), r.failed(), r.retries(), r.note(),
                r.errors() == null ? List.of() : Arrays.asList(r.errors().split("\n")), r.reason(), r.cancelledBy(),
                r.createdAt(), r.startedAt(), r.finishedAt(),
                "/api/connections/" + r.connectionId() + "/backfills/" + r.id());
    }

    /** Share of the work done: days of the range read (by the cursor) plus ids read, out of both. */
    static int progress(BackfillRun r) {
        if ("DONE".equals(r.state())) {
            return 100;
        }
        long days = 0;
        long daysDone = 0;
        if (r.hasRange()) {
            OffsetDateTime start = r.fromDate().atStartOfDay().atOffset(ZoneOffset.UTC);
            OffsetDateTime end = r.toDate().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
            days = Math.max(1, Duration.between(start, end).toDays());
            OffsetDateTime cursor = r.windowFrom() == null ? start : r.windowFrom();
            cursor = cursor.isAfter(end) ? end : cursor;
            daysDone = Math.max(0, Duration.between(start, cursor).toDays());
        }
        long total = days + r.ids().size();
        return total == 0 ? 0 : (int) Math.min(100, (daysDone + r.idsDone()) * 100 / total);
    }
}
