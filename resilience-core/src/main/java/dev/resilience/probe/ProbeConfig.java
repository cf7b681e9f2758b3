package dev.resilience.probe;

import dev.resilience.circuitbreaker.Criticality;
import dev.resilience.core.Check;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable configuration of a dependency probe, validated when constructed.
 *
 * @param interval time between the end of one check and the start of the next; positive
 * @param timeout a check that takes longer is cut and counts as a failure; positive
 * @param initialDelay before the first check; zero or positive
 * @param failureThreshold consecutive failures that make an UP (or UNKNOWN) probe DOWN; at least 1
 * @param successThreshold consecutive successes that make a DOWN (or UNKNOWN) probe UP; at least 1
 * @param criticality what a DOWN probe means for health and the degradation level
 * @param circuitBreaker the breaker the probe holds open while DOWN, or {@code null}
 */
public record ProbeConfig(Duration interval, Duration timeout, Duration initialDelay, int failureThreshold,
        int successThreshold, Criticality criticality, String circuitBreaker) {

    private static final ProbeConfig DEFAULTS = new ProbeConfig(Duration.ofSeconds(10), Duration.ofSeconds(2),
            Duration.ZERO, 3, 1, Criticality.IMPORTANT, null);

    public ProbeConfig {
        Check.positive("interval", interval);
        Check.positive("timeout", timeout);
        Check.notNegative("initial-delay", initialDelay);
        Check.atLeast("failure-threshold", failureThreshold, 1);
        Check.atLeast("success-threshold", successThreshold, 1);
        Objects.requireNonNull(criticality, "criticality");
    }

    /** The documented defaults: every 10 s, 2 s timeout, no initial delay, 3 failures / 1 success, important. */
    public static ProbeConfig defaults() {
        return DEFAULTS;
    }

    public ProbeConfig withInterval(Duration value) {
        return new ProbeConfig(value, timeout, initialDelay, failureThreshold, successThreshold, criticality,
                circuitBreaker);
    }

    public ProbeConfig withTimeout(Duration value) {
        return new ProbeConfig(interval, value, initialDelay, failureThreshold, successThreshold, criticality,
                circuitBreaker);
    }

    public ProbeConfig withInitialDelay(Duration value) {
        return new ProbeConfig(interval, timeout, value, failureThreshold, successThreshold, criticality,
                circuitBreaker);
    }

    public ProbeConfig withThresholds(int failures, int successes) {
        return new ProbeConfig(interval, timeout, initialDelay, failures, successes, criticality, circuitBreaker);
    }

    public ProbeConfig withCriticality(Criticality value) {
        return new ProbeConfig(interval, timeout, initialDelay, failureThreshold, successThreshold, value,
                circuitBreaker);
    }

    public ProbeConfig withCircuitBreaker(String value) {
        return new ProbeConfig(interval, timeout, initialDelay, failureThreshold, successThreshold, criticality,
                value);
    }
}
