package dev.resilience.autoconfigure.properties;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The properties of one circuit breaker configuration or instance; unset values are inherited. */
public class CircuitBreakerSpec implements PolicySpec {

    /** Shared configuration to start from (default: "default"). */
    private String baseConfig;

    /** How the sliding window is measured: count-based or time-based (default: count-based). */
    private String slidingWindowType;

    /** Size of the sliding window in calls (count-based) or seconds (time-based) (default: 100). */
    private Integer slidingWindowSize;

    /** Calls in the window before rates are assessed (default: 20). */
    private Integer minimumNumberOfCalls;

    /** Failure rate in percent, in (0, 100], at or above which the breaker opens (default: 50). */
    private Float failureRateThreshold;

    /** Duration at or above which a call is slow (default: 60s). */
    private Duration slowCallDurationThreshold;

    /** Slow-call rate in percent, in (0, 100], at or above which the breaker opens (default: 100). */
    private Float slowCallRateThreshold;

    /** How long the breaker stays OPEN before it lets trial calls through (default: 60s). */
    private Duration waitDurationInOpenState;

    /** Trial calls in HALF_OPEN; all must complete, then their failure rate decides (default: 10). */
    private Integer permittedNumberOfCallsInHalfOpenState;

    /** Longest time in HALF_OPEN before reopening; 0 waits for the trials forever (default: 0). */
    private Duration maxWaitDurationInHalfOpenState;

    /** Exception classes that count as failures, subclasses included (default: all). */
    private List<String> recordExceptions;

    /** Exception classes that count as neither success nor failure; wins over record-exceptions. */
    private List<String> ignoreExceptions;

    /** What an open breaker means for the degradation level: optional, important or critical (default: important). */
    private String criticality;

    /** A java.util.function.Predicate (bean name, or class with a no-argument constructor) that marks a returned value as a failure. */
    private String recordResult;

    public String getRecordResult() {
        return recordResult;
    }

    public void setRecordResult(String recordResult) {
        this.recordResult = recordResult;
    }

    @Override
    public Map<String, Object> values() {
        return new Values().put("sliding-window-type", slidingWindowType).put("sliding-window-size", slidingWindowSize)
                .put("minimum-number-of-calls", minimumNumberOfCalls).put("failure-rate-threshold", failureRateThreshold)
                .put("slow-call-duration-threshold", slowCallDurationThreshold)
                .put("slow-call-rate-threshold", slowCallRateThreshold)
                .put("wait-duration-in-open-state", waitDurationInOpenState)
                .put("permitted-number-of-calls-in-half-open-state", permittedNumberOfCallsInHalfOpenState)
                .put("max-wait-duration-in-half-open-state", maxWaitDurationInHalfOpenState)
                .put("record-exceptions", recordExceptions).put("ignore-exceptions", ignoreExceptions)
                .put("criticality", criticality).put("record-result", recordResult).map();
    }

    @Override
    public String getBaseConfig() {
        return baseConfig;
    }

    public void setBaseConfig(String baseConfig) {
        this.baseConfig = baseConfig;
    }

    public String getSlidingWindowType() {
        return slidingWindowType;
    }

    public void setSlidingWindowType(String slidingWindowType) {
        this.slidingWindowType = slidingWindowType;
    }

    public Integer getSlidingWindowSize() {
        return slidingWindowSize;
    }

    public void setSlidingWindowSize(Integer slidingWindowSize) {
        this.slidingWindowSize = slidingWindowSize;
    }

    public Integer getMinimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
        this.minimumNumberOfCalls = minimumNumberOfCalls;
    }

    public Float getFailureRateThreshold() {
        return failureRateThreshold;
    }

    public void setFailureRateThreshold(Float failureRateThreshold) {
        this.failureRateThreshold = failureRateThreshold;
    }

    public Duration getSlowCallDurationThreshold() {
        return slowCallDurationThreshold;
    }

    public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
        this.slowCallDurationThreshold = slowCallDurationThreshold;
    }

    public Float getSlowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    public void setSlowCallRateThreshold(Float slowCallRateThreshold) {
        this.slowCallRateThreshold = slowCallRateThreshold;
    }

    public Duration getWaitDurationInOpenState() {
        return waitDurationInOpenState;
    }

    public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
        this.waitDurationInOpenState = waitDurationInOpenState;
    }

    public Integer getPermittedNumberOfCallsInHalfOpenState() {
        return permittedNumberOfCallsInHalfOpenState;
    }

    public void setPermittedNumberOfCallsInHalfOpenState(Integer permittedNumberOfCallsInHalfOpenState) {
        this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
    }

    public Duration getMaxWaitDurationInHalfOpenState() {
        return maxWaitDurationInHalfOpenState;
    }

    public void setMaxWaitDurationInHalfOpenState(Duration maxWaitDurationInHalfOpenState) {
        this.maxWaitDurationInHalfOpenState = maxWaitDurationInHalfOpenState;
    }

    public List<String> getRecordExceptions() {
        return recordExceptions;
    }

    public void setRecordExceptions(List<String> recordExceptions) {
        this.recordExceptions = recordExceptions;
    }

    public List<String> getIgnoreExceptions() {
        return ignoreExceptions;
    }

    public void setIgnoreExceptions(List<String> ignoreExceptions) {
        this.ignoreExceptions = ignoreExceptions;
    }

    public String getCriticality() {
        return criticality;
    }

    public void setCriticality(String criticality) {
        this.criticality = criticality;
    }
}
