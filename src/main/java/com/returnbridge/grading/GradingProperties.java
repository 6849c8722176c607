package com.returnbridge.grading;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code returnbridge.connections.<id>.grading.*} from configuration: bound here rather than in ConnectionProperties,
 * as grading is its own feature ({@link GradingSettings} checks the words). The other keys of a connection are
 * ConnectionProperties' and ignored here.
 */
@ConfigurationProperties("returnbridge")
public class GradingProperties {

    private Map<String, ConnectionGrading> connections = new LinkedHashMap<>();

    public Map<String, ConnectionGrading> getConnections() { return connections; }
    public void setConnections(Map<String, ConnectionGrading> connections) { this.connections = connections; }

    public static class ConnectionGrading {
        private GradingConfig grading;

        public GradingConfig getGrading() { return grading; }
        public void setGrading(GradingConfig grading) { this.grading = grading; }
    }

    /** {@code grading.enabled}, {@code grading.conditions.<ShipHero condition>}, {@code grading.unmapped-condition}, {@code grading.dispositions.<restocked|not_restocked|missing>}. */
    public static class GradingConfig {
        private boolean enabled;
        private Map<String, String> conditions;
        private String unmappedCondition;
        private Map<String, String> dispositions = new LinkedHashMap<>();

        /** Conditions not given keep the default table; given, they are the whole table. */
        GradingSettings toSettings() {
            Map<String, String> table = new LinkedHashMap<>();
            if (conditions == null) {
                GradingSettings.DEFAULT_CONDITIONS.forEach((c, category) -> table.put(c, category.word()));
            } else {
                table.putAll(conditions);
            }
            return GradingSettings.parse(enabled, table, unmappedCondition, disposition("restocked"),
                    disposition("not_restocked"), disposition("missing"));
        }

        /** Relaxed binding may hand the key over as not_restocked, not-restocked or notrestocked. */
        private String disposition(String key) {
            String wanted = key.replace("_", "");
            return dispositions.entrySet().stream()
                    .filter(e -> e.getKey().toLowerCase(java.util.Locale.ROOT).replaceAll("[-_]", "").equals(wanted))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public Map<String, String> getConditions() { return conditions; }
        public void setConditions(Map<String, String> conditions) { this.conditions = conditions; }
        public String getUnmappedCondition() { return unmappedCondition; }
        public void setUnmappedCondition(String unmappedCondition) { this.unmappedCondition = unmappedCondition; }
        public Map<String, String> getDispositions() { return dispositions; }
        public void setDispositions(Map<String, String> dispositions) { this.dispositions = dispositions; }
    }
}
