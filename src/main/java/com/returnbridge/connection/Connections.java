package com.returnbridge.connection;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The connections this instance serves, by id. */
@Component
public class Connections {

    private static final Logger log = LoggerFactory.getLogger(Connections.class);

    private final Map<String, Connection> byId = new ConcurrentHashMap<>();

    public Connections(ConnectionProperties properties) {
        properties.getConnections().forEach((id, config) -> register(config.toConnection(id)));
    }

    public void register(Connection connection) {
        byId.put(connection.id(), connection);
        log.info("connection {} ready (loop {}, shiphero {}, warehouse {}, customer account {})", connection.id(),
                connection.loop().baseUrl(), connection.shiphero().baseUrl(), connection.shiphero().warehouseId(),
                connection.shiphero().customerAccountId());
    }

    public Optional<Connection> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Connection get(String id) {
        return find(id).orElseThrow(() -> new IllegalStateException("no connection " + id));
    }

    public Collection<Connection> all() {
        return List.copyOf(byId.values());
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }
}
