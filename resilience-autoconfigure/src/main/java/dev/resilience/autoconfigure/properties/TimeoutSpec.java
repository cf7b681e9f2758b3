package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.Map;

/** The properties of one timeout configuration or instance; unset values are inherited. */
public class TimeoutSpec implements PolicySpec {

    /** Shared configuration to start from (default: "default"). */
    private String baseConfig;

    /** How long a call may take (default: 1s). */
    private Duration timeoutDuration;

    /** Whether an asynchronous call's future is cancelled at the deadline (default: true). */
    private Boolean cancelRunningFuture;

    @Override
    public Map<String, Object> values() {
        return new Values().put("timeout-duration", timeoutDuration).put("cancel-running-future", cancelRunningFuture)
                .map();
    }

    @Override
    public String getBaseConfig() {
        return baseConfig;
    }

    public void setBaseConfig(String baseConfig) {
        this.baseConfig = baseConfig;
    }

    public Duration getTimeoutDuration() {
        return timeoutDuration;
    }

    public void setTimeoutDuration(Duration timeoutDuration) {
        this.timeoutDuration = timeoutDuration;
    }

    public Boolean getCancelRunningFuture() {
        return cancelRunningFuture;
    }

    public void setCancelRunningFuture(Boolean cancelRunningFuture) {
        this.cancelRunningFuture = cancelRunningFuture;
    }
}
