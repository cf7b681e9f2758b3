package dev.resilience.sample.simulation;

import java.time.Duration;

/**
 * How a simulated dependency behaves.
 *
 * @param failureRate share of requests answered with 503, in [0, 1]
 * @param latency how long each request takes before it is answered
 */
public record DependencySettings(double failureRate, Duration latency) {

    public static final DependencySettings HEALTHY = new DependencySettings(0, Duration.ZERO);

    public DependencySettings {
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failureRate must be in [0, 1], was " + failureRate);
        }
        if (latency == null || latency.isNegative() || latency.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("latency must be between 0 and 30s, was " + latency);
        }
    }
}
