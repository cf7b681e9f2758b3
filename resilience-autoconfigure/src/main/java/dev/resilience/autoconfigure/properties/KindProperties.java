package dev.resilience.autoconfigure.properties;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code configs} and {@code instances} of one kind of policy.
 *
 * @param <S> the properties of one entry
 */
public class KindProperties<S extends PolicySpec> {

    /** Shared configurations by name; "default" is the base of every instance and config without a base-config. */
    private Map<String, S> configs = new LinkedHashMap<>();

    /** Instances by name (the name in the annotation), each starting from configs.default or from its base-config. */
    private Map<String, S> instances = new LinkedHashMap<>();

    public Map<String, S> getConfigs() {
        return configs;
    }

    public void setConfigs(Map<String, S> configs) {
        this.configs = configs;
    }

    public Map<String, S> getInstances() {
        return instances;
    }

    public void setInstances(Map<String, S> instances) {
        this.instances = instances;
    }
}
