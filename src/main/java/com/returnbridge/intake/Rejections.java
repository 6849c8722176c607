package com.returnbridge.intake;

import com.returnbridge.connection.Connection;
import com.returnbridge.connection.Connections;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** A delivery refused: counted in the metric, logged, and counted per connection when the connection exists. */
@Component
public class Rejections {

    private static final Logger log = LoggerFactory.getLogger(Rejections.class);

    private final Connections connections;
    private final DeliveryRejections store;
    private final MeterRegistry meters;

    public Rejections(Connections connections, DeliveryRejections store, MeterRegistry meters) {
        this.connections = connections;
        this.store = store;
        this.meters = meters;
    }

    /** The connection a delivery is addressed to, or the rejection of an unknown id. */
    public Connection connection(String connectionId, Deliveries.Source source) {
        return connections.find(connectionId).orElseThrow(() -> reject(source, connectionId,
                new IntakeRejection(HttpStatus.NOT_FOUND, "unknown_connection", "unknown connection '"
                        + abbreviate(connectionId) + "'")));
    }

    public IntakeRejection reject(Deliveries.Source source, String connectionId, IntakeRejection rejection) {
        meters.counter("returnbridge.deliveries", "source", source.name().toLowerCase(), "outcome",
                rejection.outcome()).increment();
        log.warn("{} delivery for connection '{}' rejected ({}): {}", source, abbreviate(connectionId),
                rejection.status().value(), rejection.getMessage());
        countForConnection(source, connectionId, rejection);
        return rejection;
    }

    /**
     * Per connection, for the console: only a connection that exists (an unknown id has nothing to attribute to, and
     * a flood of made-up ids must not create rows). Its own short transaction; a failure here never changes the
     * answer the sender gets.
     */
    private void countForConnection(Deliveries.Source source, String connectionId, IntakeRejection rejection) {
        if ("unknown_connection".equals(rejection.outcome()) || connectionId == null
                || connections.find(connectionId).isEmpty()) {
            return;
        }
        try {
            store.record(connectionId, source, rejection.outcome(), rejection.getMessage());
        } catch (RuntimeException e) {
            log.warn("could not count the rejected {} delivery for connection '{}': {}", source,
                    abbreviate(connectionId), e.toString());
        }
    }

    /** An id or key fit for a log line: what a sender chose is never logged as it came. */
    static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        String clean = value.replaceAll("[^A-Za-z0-9._-]", "?");
        return clean.length() <= 60 ? clean : clean.substring(0, 60) + "…";
    }
}
