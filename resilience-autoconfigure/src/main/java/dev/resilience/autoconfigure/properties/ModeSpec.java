package dev.resilience.autoconfigure.properties;

import java.util.LinkedHashMap;
import java.util.Map;

/** One operation mode, {@code resilience.degradation.modes.<mode>.*}. */
public class ModeSpec {

    /** Floor the mode puts on the degradation level while selected: none, minor, major or critical (default: none). */
    private String level;

    /** Features the mode switches on or off while selected, by name; their own switches apply again when it ends. */
    private Map<String, ModeFeatureSpec> features = new LinkedHashMap<>();

    public String getLevel() {
        return level;
    }

    public void setLevel(String level) {
        this.level = level;
    }

    public Map<String, ModeFeatureSpec> getFeatures() {
        return features;
    }

    public void setFeatures(Map<String, ModeFeatureSpec> features) {
        this.features = features;
    }

    /** A feature's switch in a mode. */
    public static class ModeFeatureSpec {

        /** Whether the feature runs while the mode is selected. */
        private Boolean enabled;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }
    }
}
