package dev.resilience.degradation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The degradation level changed, and why.
 *
 * @param from the previous level
 * @param to the new level
 * @param impaired the names of the breakers open and the probes down now
 * @param computed the level those imply
 * @param override the operator's floor now, or {@code null}; the level is the higher of the two
 * @param at when it happened
 */
public record LevelChange(DegradationLevel from, DegradationLevel to, List<String> impaired,
        DegradationLevel computed, DegradationOverride override, Instant at) {

    public LevelChange {
        impaired = List.copyOf(impaired);
        Objects.requireNonNull(computed, "computed");
    }

    /** A change with no operator's floor: the level is the one the breakers and probes imply. */
    public LevelChange(DegradationLevel from, DegradationLevel to, List<String> impaired, Instant at) {
        this(from, to, impaired, to, null, at);
    }

    /** Whether the operator's floor, not the dependencies, sets the new level. */
    public boolean setByOperator() {
        return override != null && override.level().compareTo(computed) > 0;
    }

    /** Why: the impaired dependencies and the operator's floor, for a log line. */
    public String cause() {
        return new DegradationMonitor.Snapshot(to, impaired, computed, override).cause();
    }
}
