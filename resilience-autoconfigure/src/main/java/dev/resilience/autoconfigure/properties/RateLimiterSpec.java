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

    /**
     * Whose limit it is: local (this application's own) or cluster (one limit shared by every application on the
     * same Redis; needs the resilience-redis module) (default: local).
     */
    private String scope;

    /**
     * How many applications share a cluster limit; each allows limit / expected-replicas while Redis is down
     * (default: 1).
     */
    private Integer expectedReplicas;

    /** What a cluster limiter does while Redis is unreachable: local-share or reject (default: local-share). */
    private String onBackendFailure;

    @Override
    public Map<String, Object> values() {
        return new Values().put("limit-for-period", limitForPeriod).put("limit-refresh-period", limitRefreshPeriod)
                .put("timeout-duration", timeoutDuration).put("scope", scope)
                .put("expected-replicas", expectedReplicas).put("on-backend-failure", onBackendFailure).map();
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

    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
    }

    public Integer getExpectedReplicas() {
        return expectedReplicas;
    }

    public void setExpectedReplicas(Integer expectedReplicas) {
        this.expectedReplicas = expectedReplicas;
    }

    public String getOnBackendFailure() {
        return onBackendFailure;
    }

    public void setOnBackendFailure(String onBackendFailure) {
        this.onBackendFailure = onBackendFailure;
    }
}
