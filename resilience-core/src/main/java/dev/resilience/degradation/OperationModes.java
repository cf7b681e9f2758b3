package dev.resilience.degradation;

import dev.resilience.core.EventSink;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The operator's say over the degradation level: at most one {@link DegradationOverride} at a time, either a bare
 * floor ({@link #override}) or a named {@link OperationMode} ({@link #select}), which also switches its features.
 * Selecting one replaces the other; an expiring one ends by itself, on the shared scheduler.
 */
public final class OperationModes {

    private final Map<String, OperationMode> modes;
    private final DegradationMonitor monitor;
    private final FeatureRegistry features;
    private final Timing timing;
    private final List<Consumer<DegradationOverride>> listeners = new CopyOnWriteArrayList<>();
    private volatile EventSink events = EventSink.NONE;

    // Guarded by this.
    private DegradationOverride current;
    private Scheduler.Cancellable expiry;

    public OperationModes(Collection<OperationMode> modes, DegradationMonitor monitor, FeatureRegistry features,
            Timing timing) {
        Map<String, OperationMode> byName = new LinkedHashMap<>();
        modes.forEach(mode -> byName.put(mode.name(), mode));
        this.modes = Map.copyOf(byName);
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.features = Objects.requireNonNull(features, "features");
        this.timing = Objects.requireNonNull(timing, "timing");
    }

    /** The configured modes, by name. */
    public Map<String, OperationMode> modes() {
        return modes;
    }

    public Optional<OperationMode> find(String mode) {
        return Optional.ofNullable(modes.get(mode));
    }

    /** The operator's override now, or {@code null}. */
    public synchronized DegradationOverride current() {
        return current;
    }

    public void setEventSink(EventSink sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /** Called with the new override ({@code null} when cleared or expired) after each change. */
    public void addListener(Consumer<DegradationOverride> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Selects {@code mode}: its level becomes the floor and its feature switches apply, until another selection,
     * {@link #clear()} or {@code expiresAfter} (null for never).
     *
     * @throws IllegalArgumentException for a mode that is not configured, or a non-positive expiry
     */
    public DegradationOverride select(String mode, String reason, Duration expiresAfter) {
        OperationMode selected = modes.get(mode);
        if (selected == null) {
            throw new IllegalArgumentException("no operation mode named '" + mode + "'; configured: "
                    + modes.keySet());
        }
        return apply(new DegradationOverride(selected.level(), mode, reason, expiryOf(expiresAfter)));
    }

    /**
     * Puts a bare floor under the level (replacing any selected mode) until another change, {@link #clear()} or
     * {@code expiresAfter} (null for never).
     */
    public DegradationOverride override(DegradationLevel level, String reason, Duration expiresAfter) {
        return apply(new DegradationOverride(level, null, reason, expiryOf(expiresAfter)));
    }

    /**
     * Makes {@code override} the operator's override as it is (its mode must be configured); {@code null}, or one
     * that has expired already, clears. For changes that arrive with their own expiry (another replica's).
     */
    public DegradationOverride apply(DegradationOverride override) {
        if (override != null && override.mode() != null && !modes.containsKey(override.mode())) {
            throw new IllegalArgumentException("no operation mode named '" + override.mode() + "'; configured: "
                    + modes.keySet());
        }
        DegradationOverride effective = override != null && override.expiredAt(timing.clock().instant()) ? null
                : override;
        DegradationOverride previous;
        synchronized (this) {
            previous = current;
            current = effective;
            if (expiry != null) {
                expiry.cancel();
                expiry = null;
            }
            if (effective != null && effective.expiresAt() != null) {
                long nanos = Duration.between(timing.clock().instant(), effective.expiresAt()).toNanos();
                expiry = timing.scheduler().schedule(() -> expire(effective), Math.max(0, nanos));
            }
            switchFeatures(previous, effective);
            monitor.setOverride(effective);
        }
        publish(effective, effective == null ? "cleared" : "set");
        listeners.forEach(listener -> listener.accept(effective));
        return effective;
    }

    /** Ends the operator's override, if any: the level is the dependencies' again, the features their own. */
    public void clear() {
        apply(null);
    }

    private void expire(DegradationOverride ending) {
        synchronized (this) {
            if (current != ending) {
                return; // replaced meanwhile
            }
            current = null;
            expiry = null;
            switchFeatures(ending, null);
            monitor.setOverride(null);
        }
        publish(null, "expired");
        listeners.forEach(listener -> listener.accept(null));
    }

    /** Under the monitor: the previous mode's switches end, the new mode's begin. */
    private void switchFeatures(DegradationOverride previous, DegradationOverride next) {
        OperationMode ending = previous == null || previous.mode() == null ? null : modes.get(previous.mode());
        OperationMode starting = next == null || next.mode() == null ? null : modes.get(next.mode());
        if (ending != null) {
            ending.features().keySet().stream()
                    .filter(name -> starting == null || !starting.features().containsKey(name))
                    .forEach(name -> features.get(name).setModeSwitch(null, true));
        }
        if (starting != null) {
            starting.features().forEach((name, enabled) -> features.get(name).setModeSwitch(starting.name(), enabled));
        }
    }

    private Instant expiryOf(Duration expiresAfter) {
        if (expiresAfter == null) {
            return null;
        }
        if (expiresAfter.isZero() || expiresAfter.isNegative()) {
            throw new IllegalArgumentException("an expiry must be positive, was " + expiresAfter);
        }
        return timing.clock().instant().plus(expiresAfter);
    }

    private void publish(DegradationOverride override, String what) {
        EventSink sink = events;
        if (sink != EventSink.NONE) {
            sink.publish("degradation", "operator", override == null ? "NONE" : override.level().name(),
                    override == null ? "operator override " + what : override.describe());
        }
    }
}
