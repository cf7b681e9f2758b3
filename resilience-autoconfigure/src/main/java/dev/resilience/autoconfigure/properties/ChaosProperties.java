package dev.resilience.autoconfigure.properties;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code resilience.chaos.*}: fault injection, off by default. */
public class ChaosProperties {

    /** Whether faults are injected at all; while false nothing is injected and nothing costs anything. */
    private boolean enabled;

    /** Seed for the random draws, for reproducible runs (default: unseeded). */
    private Long seed;

    /** Fault injection by instance name (the name of a breaker, retry, bulkhead, ... of the guarded method). */
    private Map<String, ChaosSpec> instances = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Long getSeed() {
        return seed;
    }

    public void setSeed(Long seed) {
        this.seed = seed;
    }

    public Map<String, ChaosSpec> getInstances() {
        return instances;
    }

    public void setInstances(Map<String, ChaosSpec> instances) {
        this.instances = instances;
    }
}
