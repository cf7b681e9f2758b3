package dev.resilience.autoconfigure.properties;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code resilience.degradation.*}. */
public class DegradationProperties {

    /** Features marked @Degradable, by name: whether each runs and at which degradation level it is shed. */
    private Map<String, FeatureSpec> features = new LinkedHashMap<>();

    /**
     * Floor on the degradation level from startup, as an operator's override: none, minor, major or critical
     * (default: none).
     */
    private String override;

    /** Operation mode selected at startup, one of those under modes (default: none). */
    private String mode;

    /** Named operation modes an operator can select: a floor on the level and feature switches each. */
    private Map<String, ModeSpec> modes = new LinkedHashMap<>();

    public String getOverride() {
        return override;
    }

    public void setOverride(String override) {
        this.override = override;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public Map<String, ModeSpec> getModes() {
        return modes;
    }

    public void setModes(Map<String, ModeSpec> modes) {
        this.modes = modes;
    }

    public Map<String, FeatureSpec> getFeatures() {
        return features;
    }

    public void setFeatures(Map<String, FeatureSpec> features) {
        this.features = features;
    }
}
