package dev.resilience.degradation;

import java.util.Map;
import java.util.Objects;

/**
 * A named way of running, such as {@code minimal} during an incident: a floor on the degradation level and the
 * features it switches on or off while it is selected. Its switches take the place of the features' own switches
 * while the mode lasts and leave them as they were when it ends; a feature's {@code disable-at} still applies.
 *
 * @param name the mode's name
 * @param level the floor it puts on the degradation level; {@code NONE} for switches only
 * @param features whether each named feature runs while the mode is selected
 */
public record OperationMode(String name, DegradationLevel level, Map<String, Boolean> features) {

    public OperationMode {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.equalsIgnoreCase("none")) {
            throw new IllegalArgumentException("a mode needs a name other than 'none', was '" + name + "'");
        }
        Objects.requireNonNull(level, "level");
        features = Map.copyOf(features);
    }
}
