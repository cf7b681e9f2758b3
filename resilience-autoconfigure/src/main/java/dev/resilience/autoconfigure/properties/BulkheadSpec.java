package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.Map;

/** The properties of one bulkhead configuration or instance; unset values are inherited. */
public class BulkheadSpec implements PolicySpec {

    /** Shared configuration to start from (default: "default"). */
    private String baseConfig;

    /** Calls allowed inside at once; at least 1 (default: 25). */
    private Integer maxConcurrentCalls;

    /** How long a call may wait for a free slot; 0 rejects at once (default: 0). */
    private Duration maxWaitDuration;

    @Override
    public Map<String, Object> values() {
        return new Values().put("max-concurrent-calls", maxConcurrentCalls).put("max-wait-duration", maxWaitDuration)
                .map();
    }

    @Override
    public String getBaseConfig() {
        return baseConfig;
    }

    public void setBaseConfig(String baseConfig) {
        this.baseConfig = baseConfig;
    }

    public Integer getMaxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    public void setMaxConcurrentCalls(Integer maxConcurrentCalls) {
        this.maxConcurrentCalls = maxConcurrentCalls;
    }

    public Duration getMaxWaitDuration() {
        return maxWaitDuration;
    }

    public void setMaxWaitDuration(Duration maxWaitDuration) {
        this.maxWaitDuration = maxWaitDuration;
    }
}
