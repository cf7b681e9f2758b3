package dev.resilience.autoconfigure.properties;

import java.time.Duration;

/** Fault injection for the calls of one instance name. */
public class ChaosSpec {

    /** Share of calls failed with the exception, in [0, 1] (default: 0). */
    private Double failureRate;

    /** The exception to throw: a class with a constructor taking one String (default: InjectedFaultException). */
    private String exception;

    /** Delay added to a share of calls (default: 0). */
    private Duration latency;

    /** Share of calls delayed by the latency, in [0, 1] (default: 0). */
    private Double latencyRate;

    public Double getFailureRate() {
        return failureRate;
    }

    public void setFailureRate(Double failureRate) {
        this.failureRate = failureRate;
    }

    public String getException() {
        return exception;
    }

    public void setException(String exception) {
        this.exception = exception;
    }

    public Duration getLatency() {
        return latency;
    }

    public void setLatency(Duration latency) {
        this.latency = latency;
    }

    public Double getLatencyRate() {
        return latencyRate;
    }

    public void setLatencyRate(Double latencyRate) {
        this.latencyRate = latencyRate;
    }
}
