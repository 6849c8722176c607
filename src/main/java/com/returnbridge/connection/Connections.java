package com.returnbridge.connection;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The connections this instance serves, by id: those declared in configuration, then those stored in the database
 * (created or edited in the console or admin API; a stored one overrides a configured one with the same id), plus
 * any registered at run time (the sandbox).
 */
@Component
public class Connections implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(Connections.class);

    /** Where a connection's settings come from. */
    public enum Origin { CONFIGURATION, STORED, RUNTIME }

    private final Map<String, Connection> byId = new ConcurrentHashMap<>();
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private final ConnectionStore store;

    public Connections(ConnectionProperties properties, ConnectionStore store) {
        this.store = store;
        properties.getConnections().forEach((id, config) -> {
            register(config.toConnection(id));
            origins.put(id, Origin.CONFIGURATION);
        });
    }

    /** After every singleton exists (so Flyway has migrated): rotate keys if asked, then load stored connections. */
    @Override
    public void afterSingletonsInstantiated() {
        int rotated = store.rotateKeys();
        if (rotated > 0) {
            log.warn("re-encrypted {} stored connection secret(s) with the current returnbridge.secrets.key; "
                    + "the previous key is no longer needed", rotated);
        }
        for (Connection stored : store.loadAll()) {
            register(stored);
            origins.put(stored.id(), Origin.STORED);
        }
    }

    public void register(Connection connection) {
        byId.put(connection.id(), connection);
        origins.putIfAbsent(connection.id(), Origin.RUNTIME);
        log.info("connection {} ready (loop {}, shiphero {}, warehouse {}, customer account {})", connection.id(),
                connection.loop().baseUrl(), connection.shiphero().baseUrl(), connection.shiphero().warehouseId(),
                connection.shiphero().customerAccountId());
    }

    /** Stores the connection (secrets encrypted) and serves it from now on. */
    public void save(Connection connection, String by) {
        store.save(connection, by);
        register(connection);
        origins.put(connection.id(), Origin.STORED);
    }

    /** Forgets a stored connection; a configured one with the same id comes back. */
    public boolean deleteStored(String id, ConnectionProperties properties) {
        boolean deleted = store.delete(id);
        if (deleted) {
            byId.remove(id);
            origins.remove(id);
            ConnectionProperties.ConnectionConfig configured = properties.getConnections().get(id);
            if (configured != null) {
                register(configured.toConnection(id));
                origins.put(id, Origin.CONFIGURATION);
            }
        }
        return deleted;
    }

    public Optional<Connection> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    public Connection get(String id) {
        return find(id).orElseThrow(() -> new IllegalStateException("no connection " + id));
    }

    public Collection<Connection> all() {
        return byId.values().stream().sorted(Comparator.comparing(Connection::id)).toList();
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    public Origin origin(String id) {
        return origins.getOrDefault(id, Origin.RUNTIME);
    }

    /** Paused connections still store deliveries; their jobs wait until resumed (read from the database). */
    public boolean isPaused(String id) {
        return store.isPaused(id);
    }

    public ConnectionStore.PauseState pauseState(String id) {
        return store.pauseState(id);
    }

    public boolean setPaused(String id, boolean paused, String by) {
        return store.setPaused(id, paused, by);
    }

    public List<String> ids() {
        return all().stream().map(Connection::id).toList();
    }
}
