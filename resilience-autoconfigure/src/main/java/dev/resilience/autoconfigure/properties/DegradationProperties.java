package dev.resilience.autoconfigure.properties;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code resilience.degradation.*}. */
public class DegradationProperties {

    /** Features marked @Degradable, by name: whether each runs and at which degradation level it is shed. */
    private Map<String, FeatureSpec> features = new LinkedHashMap<>();

    public Map<String, FeatureSpec> getFeatures() {
        return features;
    }

    public void setFeatures(Map<String, FeatureSpec> features) {
        this.features = features;
    }
}
