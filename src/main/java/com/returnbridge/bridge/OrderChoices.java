package com.returnbridge.bridge;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for {@code order_choice}: the ShipHero orders a return could belong to when the bridge could not tell them
 * apart, and the one an operator picked. Kept beside {@code return_link} so the link's own columns stay as they are.
 */
@Repository
public class OrderChoices {

    /** One candidate as named to the operator. */
    public record Candidate(String orderId, String orderNumber, String shopName) {
    }

    public record Choice(List<Candidate> candidates, String chosenOrderId, String chosenBy, OffsetDateTime chosenAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public OrderChoices(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<Choice> find(long linkId) {
        return jdbc.sql("SELECT candidates, chosen_order_id, chosen_by, chosen_at FROM order_choice WHERE link_id = ?")
                .param(linkId)
                .query((rs, n) -> new Choice(parse(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class)))
                .optional();
    }

    /** The chosen order id, or null when none was picked. */
    public String chosenOrderId(long linkId) {
        return find(linkId).map(Choice::chosenOrderId).orElse(null);
    }

    /** Replaces the candidates (and forgets an earlier pick: the operator chooses among these). */
    public void offer(long linkId, List<WarehouseApi.OrderMatch> candidates) {
        String text = String.join("\n", candidates.stream().map(o -> clean(o.orderId()) + "|" + clean(o.orderNumber())
                + "|" + clean(o.shopName())).toList());
        if (text.length() > 4000) {
            text = text.substring(0, text.lastIndexOf('\n', 4000));
        }
        int updated = jdbc.sql("""
                UPDATE order_choice SET candidates = ?, chosen_order_id = NULL, chosen_by = NULL, chosen_at = NULL
                WHERE link_id = ?""").params(text, linkId).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO order_choice (link_id, candidates) VALUES (?, ?)").params(linkId, text).update();
        }
    }

    /** @return false when the order is not one of the candidates offered */
    public boolean choose(long linkId, String orderId, String by) {
        return jdbc.sql("UPDATE order_choice SET chosen_order_id = ?, chosen_by = ?, chosen_at = ? WHERE link_id = ?")
                .params(orderId, by, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), linkId).update() == 1;
    }

    private static String clean(String value) {
        return value == null ? "" : value.replace('|', '/').replace('\n', ' ');
    }

    private static List<Candidate> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("\n")).map(line -> line.split("\\|", -1))
                .map(p -> new Candidate(p[0], p.length > 1 && !p[1].isEmpty() ? p[1] : null,
                        p.length > 2 && !p[2].isEmpty() ? p[2] : null))
                .toList();
    }
}
