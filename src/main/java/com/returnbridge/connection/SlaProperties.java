package com.returnbridge.connection;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The SLA settings: {@code returnbridge.sla.*} for every connection, {@code returnbridge.connections.<id>.sla.*} for
 * one (each key given there wins over the default). Bound apart from {@link ConnectionProperties} so a connection's
 * SLA is a setting beside it, not part of what makes it a connection.
 */
@ConfigurationProperties("returnbridge")
public class SlaProperties {

    private SlaConfig sla = new SlaConfig();
    private Map<String, PerConnection> connections = new LinkedHashMap<>();

    /** The SLA of a connection; checked at start-up by {@link Slas}. */
    public Sla slaOf(String connectionId) {
        PerConnection own = connections.get(connectionId);
        SlaConfig c = own == null || own.sla == null ? new SlaConfig() : own.sla;
        return Sla.of(pick(c.processWithin, sla.processWithin, "P2D"),
                pick(c.businessHours, sla.businessHours, "09:00-17:00"),
                pick(c.businessDays, sla.businessDays, "MON-FRI"),
                pick(c.zone, sla.zone, "UTC"),
                c.rmaOpenAfter != null ? c.rmaOpenAfter : sla.rmaOpenAfter != null ? sla.rmaOpenAfter
                        : Duration.ofDays(1));
    }

    private static String pick(String own, String common, String fallback) {
        return own != null && !own.isBlank() ? own : common != null && !common.isBlank() ? common : fallback;
    }

    public SlaConfig getSla() { return sla; }
    public void setSla(SlaConfig sla) { this.sla = sla; }
    public Map<String, PerConnection> getConnections() { return connections; }
    public void setConnections(Map<String, PerConnection> connections) { this.connections = connections; }

    /** Only the {@code sla} part of a connection's settings; the rest is {@link ConnectionProperties}'. */
    public static class PerConnection {
        private SlaConfig sla;

        public SlaConfig getSla() { return sla; }
        public void setSla(SlaConfig sla) { this.sla = sla; }
    }

    public static class SlaConfig {
        private String processWithin;
        private String businessHours;
        private String businessDays;
        private String zone;
        private Duration rmaOpenAfter;

        public String getProcessWithin() { return processWithin; }
        public void setProcessWithin(String processWithin) { this.processWithin = processWithin; }
        public String getBusinessHours() { return businessHours; }
        public void setBusinessHours(String businessHours) { this.businessHours = businessHours; }
        public String getBusinessDays() { return businessDays; }
        public void setBusinessDays(String businessDays) { this.businessDays = businessDays; }
        public String getZone() { return zone; }
        public void setZone(String zone) { this.zone = zone; }
        public Duration getRmaOpenAfter() { return rmaOpenAfter; }
        public void setRmaOpenAfter(Duration rmaOpenAfter) { this.rmaOpenAfter = rmaOpenAfter; }
    }
}
