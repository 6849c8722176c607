package com.returnbridge.monitor;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.bridge.TimelineKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends each SLA breach of the aging queue to the alert hook once: a breach is remembered in {@code sla_breach}
 * (return and queue) in the same transaction as the {@code SLA_BREACH} timeline entry the alert hook sends, so a
 * restart, a second instance or the next pass never sends it again. A return that breaches in a later queue (flagged
 * after it was late to be received) is a new breach. Runs every {@code returnbridge.sla.check-interval}.
 */
@Configuration(proxyBeanMethods = false)
public class SlaWatch {

    private final AgingQueue aging;
    private final JdbcClient jdbc;
    private final Timeline timeline;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration interval;

    public SlaWatch(AgingQueue aging, JdbcClient jdbc, Timeline timeline, TransactionTemplate tx, Clock clock,
                    @Value("${returnbridge.sla.check-interval:PT5M}") Duration interval) {
        this.aging = aging;
        this.jdbc = jdbc;
        this.timeline = timeline;
        this.tx = tx;
        this.clock = clock;
        this.interval = interval;
    }

    @Bean("slaBreachTask")
    public RecurringTask<Void> recurringTask() {
        return Tasks.recurring("sla-breach-check", FixedDelay.of(interval)).execute((instance, context) -> check());
    }

    /** One pass over every connection's queue; answers how many new breaches were recorded (and so alerted). */
    public int check() {
        Instant now = clock.instant();
        int recorded = 0;
        for (AgingQueue.Item item : aging.list(null, now)) {
            try {
                if (item.breached() && record(item, now)) {
                    recorded++;
                }
            } catch (DuplicateKeyException e) {
                // another pass recorded (and so alerted) this breach at the same moment
            }
        }
        return recorded;
    }

    private boolean record(AgingQueue.Item item, Instant now) {
        Boolean done = tx.execute(s -> {
            boolean known = jdbc.sql("SELECT COUNT(*) FROM sla_breach WHERE link_id = ? AND queue = ?")
                    .params(item.linkId(), item.queue().name()).query(Long.class).single() > 0;
            if (known) {
                return false;
            }
            jdbc.sql("""
                    INSERT INTO sla_breach (link_id, queue, connection_id, due_at, alerted_at) VALUES (?, ?, ?, ?, ?)""")
                    .params(item.linkId(), item.queue().name(), item.connectionId(),
                            OffsetDateTime.ofInstant(item.dueAt(), ZoneOffset.UTC),
                            OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).update();
            timeline.record((Long) item.linkId(), item.connectionId(), item.loopReturnId(), TimelineKind.SLA_BREACH,
                    "SLA breached: " + words(item.queue()) + ", due " + item.dueAt() + " (overdue "
                            + human(item.timeLeft().negated()) + ")" + (item.orderName() == null ? ""
                            : ", order " + item.orderName()));
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    /** Whether a breach of this return in this queue was already sent. */
    public boolean alerted(long linkId, AgingQueue.Queue queue) {
        return jdbc.sql("SELECT COUNT(*) FROM sla_breach WHERE link_id = ? AND queue = ?")
                .params(linkId, queue.name()).query(Long.class).single() > 0;
    }

    static String words(AgingQueue.Queue queue) {
        return switch (queue) {
            case DELIVERED_NOT_RECEIVED -> "delivered and not received in the warehouse";
            case RECEIVED_NOT_DECIDED -> "received and not decided";
            case FLAGGED_NOT_RESOLVED -> "flagged and not resolved";
        };
    }

    static String human(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        if (minutes < 120) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        return hours < 48 ? hours + " h" : hours / 24 + " d " + hours % 24 + " h";
    }
}
