package dev.resilience.chaos;

import dev.resilience.core.Check;
import dev.resilience.core.InvalidConfigurationException;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.Objects;

/**
 * What fault injection does to the calls of one instance name.
 *
 * @param failureRate share of calls that fail with {@code exception}, in [0, 1]
 * @param exception the exception thrown; needs a constructor taking one String
 * @param latency the delay added to a call
 * @param latencyRate share of calls delayed by {@code latency}, in [0, 1]
 */
public record ChaosConfig(double failureRate, Class<? extends Throwable> exception, Duration latency,
        double latencyRate) {

    private static final ChaosConfig NONE = new ChaosConfig(0, InjectedFaultException.class, Duration.ZERO, 0);

    public ChaosConfig {
        Check.between("failure-rate", failureRate, 0, 1);
        Objects.requireNonNull(exception, "exception");
        try {
            exception.getConstructor(String.class);
        } catch (NoSuchMethodException ex) {
            throw new InvalidConfigurationException("exception", exception.getName(),
                    "must name a Throwable class with a public constructor taking one String");
        }
        Check.notNegative("latency", latency);
        Check.between("latency-rate", latencyRate, 0, 1);
    }

    /** Injects nothing. */
    public static ChaosConfig none() {
        return NONE;
    }

    public ChaosConfig withFailureRate(double value) {
        return new ChaosConfig(value, exception, latency, latencyRate);
    }

    public ChaosConfig withException(Class<? extends Throwable> value) {
        return new ChaosConfig(failureRate, value, latency, latencyRate);
    }

    public ChaosConfig withLatency(Duration value) {
        return new ChaosConfig(failureRate, exception, value, latencyRate);
    }

    public ChaosConfig withLatencyRate(double value) {
        return new ChaosConfig(failureRate, exception, latency, value);
    }

    Throwable newFailure(String message) {
        try {
            Constructor<? extends Throwable> constructor = exception.getConstructor(String.class);
            return constructor.newInstance(message);
        } catch (ReflectiveOperationException ex) {
            return new InjectedFaultException(message);
        }
    }
}
