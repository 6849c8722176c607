package com.returnbridge.connection;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/** Each connection's SLA, from {@link SlaProperties}; a setting that cannot be read stops the start, naming it. */
@Component
public class Slas implements InitializingBean {

    private final SlaProperties properties;

    public Slas(SlaProperties properties) {
        this.properties = properties;
    }

    public Sla of(String connectionId) {
        return properties.slaOf(connectionId);
    }

    @Override
    public void afterPropertiesSet() {
        try {
            properties.slaOf("\0default");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("returnbridge." + e.getMessage(), e);
        }
        properties.getConnections().keySet().forEach(id -> {
            try {
                properties.slaOf(id);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("returnbridge.connections." + id + "." + e.getMessage(), e);
            }
        });
    }
}
