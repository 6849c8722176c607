package com.returnbridge.grading;

import static com.returnbridge.bridge.TimelineKind.CONNECTION_EDITED;

import com.returnbridge.bridge.Timeline;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * A connection's grading settings: those saved in the console or the admin API, else those in configuration, else
 * the defaults (off). Configured ones are checked at start-up: a category Loop would refuse stops the service, not
 * every return.
 */
@Service
public class Gradings {

    /** Where a connection's grading settings come from. */
    public enum Origin { DEFAULT, CONFIGURATION, STORED }

    private final GradingStore store;
    private final Timeline timeline;
    private final Map<String, GradingSettings> configured = new LinkedHashMap<>();

    Gradings(GradingStore store, Timeline timeline, GradingProperties properties) {
        this.store = store;
        this.timeline = timeline;
        properties.getConnections().forEach((id, config) -> {
            if (config.getGrading() != null) {
                try {
                    configured.put(id, config.getGrading().toSettings());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("returnbridge.connections." + id + ".grading: " + e.getMessage(), e);
                }
            }
        });
    }

    public GradingSettings settings(String connectionId) {
        return store.settings(connectionId).orElseGet(() -> configured.getOrDefault(connectionId,
                GradingSettings.defaults()));
    }

    public Origin origin(String connectionId) {
        return store.settings(connectionId).isPresent() ? Origin.STORED
                : configured.containsKey(connectionId) ? Origin.CONFIGURATION : Origin.DEFAULT;
    }

    /** Stores the connection's settings (overriding configuration); the next decision follows them. */
    public GradingSettings save(String connectionId, GradingSettings settings, String by) {
        store.save(connectionId, settings, by);
        timeline.record(null, connectionId, null, CONNECTION_EDITED, "grading settings saved by " + by + ": grading "
                + (settings.enabled() ? "on" : "off") + ", " + settings.conditions().size() + " condition(s), unmapped "
                + (settings.unmappedCondition() == null ? "no grade" : settings.unmappedCondition().word())
                + ", dispositions " + settings.restocked().word() + " / " + settings.notRestocked().word() + " / "
                + settings.missing().word());
        return settings;
    }
}
