package com.returnbridge.bridge;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each return's readable story. Every step writes here, and to the log with the return id. */
@Repository
public class Timeline {

    private static final Logger log = LoggerFactory.getLogger(Timeline.class);

    /** A stored entry. {@code kind} stays text: rows may hold kinds an older version wrote. */
    public record Entry(long id, Long linkId, String connectionId, String loopReturnId, OffsetDateTime at,
                        String kind, String message) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public Timeline(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(ReturnLink link, TimelineKind kind, String message) {
        record(link.id(), link.connectionId(), link.loopReturnId(), kind, message);
    }

    public void record(Long linkId, String connectionId, String loopReturnId, TimelineKind kind, String message) {
        log.info("[{} return {}] {}: {}", connectionId, loopReturnId, kind, message);
        jdbc.sql("""
                INSERT INTO timeline_entry (link_id, connection_id, loop_return_id, at, kind, message)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(linkId, connectionId, loopReturnId, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
                        kind.name(), message)
                .update();
    }

    /** The kind of the link's latest entry, or null when it has none. */
    public String lastKind(long linkId) {
        return jdbc.sql("SELECT kind FROM timeline_entry WHERE link_id = ? ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")
                .param(linkId).query(String.class).optional().orElse(null);
    }

    /** The latest of these kinds on the link's timeline, or null when it has none of them. */
    public String lastKindAmong(long linkId, TimelineKind... kinds) {
        String in = java.util.Arrays.stream(kinds).map(k -> "'" + k.name() + "'")
                .collect(java.util.stream.Collectors.joining(", "));
        return jdbc.sql("SELECT kind FROM timeline_entry WHERE link_id = ? AND kind IN (" + in + ")"
                        + " ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")
                .param(linkId).query(String.class).optional().orElse(null);
    }

    public List<Entry> forLink(long linkId) {
        return jdbc.sql("""
                SELECT id, link_id, connection_id, loop_return_id, at, kind, message
                FROM timeline_entry WHERE link_id = ? ORDER BY id""")
                .param(linkId).query(Entry.class).list();
    }
}
