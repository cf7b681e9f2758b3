package dev.resilience.autoconfigure.properties;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code resilience.degradation.*}. */
public class DegradationProperties {

    /** {@code @Degradable} features by name. */
    private Map<String, FeatureSpec> features = new LinkedHashMap<>();

    public Map<String, FeatureSpec> getFeatures() {
        return features;
    }

    public void setFeatures(Map<String, FeatureSpec> features) {
        this.features = features;
    }
}
