package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.Map;

/** The properties of one rate limiter configuration or instance; unset values are inherited. */
public class RateLimiterSpec implements PolicySpec {

    /** Shared configuration to start from (default: "default"). */
    private String baseConfig;

    /** Permits per period (default: 50). */
    private Integer limitForPeriod;

    /** The period after which the permits are refilled; at least 1ms (default: 1s). */
    private Duration limitRefreshPeriod;

    /** How long a call may wait for a permit; 0 rejects at once (default: 0). */
    private Duration timeoutDuration;

    @Override
    public Map<String, Object> values() {
        return new Values().put("limit-for-period", limitForPeriod).put("limit-refresh-period", limitRefreshPeriod)
                .put("timeout-duration", timeoutDuration).map();
    }

    @Override
    public String getBaseConfig() {
        return baseConfig;
    }

    public void setBaseConfig(String baseConfig) {
        this.baseConfig = baseConfig;
    }

    public Integer getLimitForPeriod() {
        return limitForPeriod;
    }

    public void setLimitForPeriod(Integer limitForPeriod) {
        this.limitForPeriod = limitForPeriod;
    }

    public Duration getLimitRefreshPeriod() {
        return limitRefreshPeriod;
    }

    public void setLimitRefreshPeriod(Duration limitRefreshPeriod) {
        this.limitRefreshPeriod = limitRefreshPeriod;
    }

    public Duration getTimeoutDuration() {
        return timeoutDuration;
    }

    public void setTimeoutDuration(Duration timeoutDuration) {
        this.timeoutDuration = timeoutDuration;
    }
}
