package dev.resilience.degradation;

import dev.resilience.core.EventSink;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Optional work that is shed first under stress: unavailable while switched off, or while the degradation
 * level is at or above its {@code disable-at}. Switching a feature off does not change the level.
 */
public final class Feature {

    private final String name;
    private final DegradationMonitor monitor;
    private volatile FeatureConfig config;
    private volatile EventSink events = EventSink.NONE;
    private final LongAdder skipped = new LongAdder();

    public Feature(String name, FeatureConfig config, DegradationMonitor monitor) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    public String getName() {
        return name;
    }

    public FeatureConfig getConfig() {
        return config;
    }

    /** Calls skipped since startup. */
    public long getSkippedCalls() {
        return skipped.sum();
    }

    /** Whether a call may run now. */
    public boolean isAvailable() {
        FeatureConfig current = config;
        return current.enabled() && (current.disableAt() == null || monitor.level().compareTo(current.disableAt()) < 0);
    }

    /** @throws FeatureDegradedException when the feature is switched off or shed */
    public void checkAvailable() {
        if (!isAvailable()) {
            skipped.increment();
            throw new FeatureDegradedException(name, reason());
        }
    }

    /** Switches the feature on or off by hand. */
    public void setEnabled(boolean enabled) {
        FeatureConfig previous = config;
        config = previous.withEnabled(enabled);
        if (previous.enabled() != enabled && events != EventSink.NONE) {
            events.publish("feature", name, enabled ? "ENABLED" : "DISABLED", "switched " + (enabled ? "on" : "off"));
        }
    }

    public void reconfigure(FeatureConfig newConfig) {
        config = Objects.requireNonNull(newConfig, "config");
    }

    public void setEventSink(EventSink sink) {
        events = Objects.requireNonNull(sink, "sink");
    }

    private String reason() {
        FeatureConfig current = config;
        if (!current.enabled()) {
            return "switched off";
        }
        return "degradation level " + monitor.level() + " reached its disable-at " + current.disableAt();
    }
}
