package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/** The properties of one retry configuration or instance; unset values are inherited. */
public class RetrySpec implements PolicySpec {

    /** Shared configuration to start from (default: "default"). */
    private String baseConfig;

    /** Total attempts, the first call included; at least 1 (default: 3). */
    private Integer maxAttempts;

    /** Wait before the first retry (default: 500ms). */
    private Duration waitDuration;

    /** Each further wait is the previous one times this; at least 1 (default: 1.0). */
    private Double backoffMultiplier;

    /** Cap on one wait (default: 30s). */
    private Duration maxWaitDuration;

    /** In [0, 1]: each wait is drawn uniformly from wait x [1 - jitter, 1 + jitter] (default: 0.0). */
    private Double jitter;

    /** No retry starts once this much time has passed since the first attempt (default: none). */
    private Duration maxDuration;

    /** Exception classes that are retried, subclasses included (default: all). */
    private List<String> retryExceptions;

    /** Exception classes that are never retried; wins over retry-exceptions. */
    private List<String> ignoreExceptions;

    /** A java.util.function.Predicate (bean name, or class with a no-argument constructor) that marks a returned value as a failure to retry. */
    private String retryOnResult;

    /** Caps retries as a share of traffic, against retry storms (default: no cap). */
    @NestedConfigurationProperty
    private RetryBudgetSpec budget = new RetryBudgetSpec();

    public RetryBudgetSpec getBudget() {
        return budget;
    }

    public void setBudget(RetryBudgetSpec budget) {
        this.budget = budget;
    }

    public String getRetryOnResult() {
        return retryOnResult;
    }

    public void setRetryOnResult(String retryOnResult) {
        this.retryOnResult = retryOnResult;
    }

    @Override
    public Map<String, Object> values() {
        return new Values().put("max-attempts", maxAttempts).put("wait-duration", waitDuration)
                .put("backoff-multiplier", backoffMultiplier).put("max-wait-duration", maxWaitDuration)
                .put("jitter", jitter).put("max-duration", maxDuration).put("retry-exceptions", retryExceptions)
                .put("ignore-exceptions", ignoreExceptions).put("retry-on-result", retryOnResult)
                .put("budget.ratio", budget.getRatio()).put("budget.window", budget.getWindow())
                .put("budget.min-retries-per-second", budget.getMinRetriesPerSecond()).map();
    }

    @Override
    public String getBaseConfig() {
        return baseConfig;
    }

    public void setBaseConfig(String baseConfig) {
        this.baseConfig = baseConfig;
    }

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getWaitDuration() {
        return waitDuration;
    }

    public void setWaitDuration(Duration waitDuration) {
        this.waitDuration = waitDuration;
    }

    public Double getBackoffMultiplier() {
        return backoffMultiplier;
    }

    public void setBackoffMultiplier(Double backoffMultiplier) {
        this.backoffMultiplier = backoffMultiplier;
    }

    public Duration getMaxWaitDuration() {
        return maxWaitDuration;
    }

    public void setMaxWaitDuration(Duration maxWaitDuration) {
        this.maxWaitDuration = maxWaitDuration;
    }

    public Double getJitter() {
        return jitter;
    }

    public void setJitter(Double jitter) {
        this.jitter = jitter;
    }

    public Duration getMaxDuration() {
        return maxDuration;
    }

    public void setMaxDuration(Duration maxDuration) {
        this.maxDuration = maxDuration;
    }

    public List<String> getRetryExceptions() {
        return retryExceptions;
    }

    public void setRetryExceptions(List<String> retryExceptions) {
        this.retryExceptions = retryExceptions;
    }

    public List<String> getIgnoreExceptions() {
        return ignoreExceptions;
    }

    public void setIgnoreExceptions(List<String> ignoreExceptions) {
        this.ignoreExceptions = ignoreExceptions;
    }
}
