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
    // The selected operation mode's switch for this feature, in place of config.enabled() while it lasts; null when
    // no mode switches it.
    private volatile ModeSwitch modeSwitch;
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
        return isEnabled() && (current.disableAt() == null || monitor.level().compareTo(current.disableAt()) < 0);
    }

    /** Whether it is switched on: by the selected operation mode if that switches it, else by its own switch. */
    public boolean isEnabled() {
        ModeSwitch switched = modeSwitch;
        return switched != null ? switched.enabled() : config.enabled();
    }

    /** The operation mode that switches this feature now, or {@code null}. */
    public String getSwitchingMode() {
        ModeSwitch switched = modeSwitch;
        return switched == null ? null : switched.mode();
    }

    /**
     * While operation mode {@code mode} is selected, it decides whether this feature runs ({@code enabled}); with
     * {@code mode} {@code null} the feature's own switch decides again, as it was or as it was set meanwhile.
     */
    public void setModeSwitch(String mode, boolean enabled) {
        boolean before = isEnabled();
        modeSwitch = mode == null ? null : new ModeSwitch(mode, enabled);
        boolean after = isEnabled();
        if (before != after && events != EventSink.NONE) {
            events.publish("feature", name, after ? "ENABLED" : "DISABLED", mode == null ? "operation mode ended"
                    : "switched " + (after ? "on" : "off") + " by operation mode '" + mode + "'");
        }
    }

    private record ModeSwitch(String mode, boolean enabled) {
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
        ModeSwitch switched = modeSwitch;
        if (switched != null && !switched.enabled()) {
            return "switched off by operation mode '" + switched.mode() + "'";
        }
        if (!isEnabled()) {
            return "switched off";
        }
        return "degradation level " + monitor.level() + " reached its disable-at " + current.disableAt();
    }
}
