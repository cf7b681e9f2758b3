package dev.resilience.circuitbreaker;

import dev.resilience.core.Check;
import dev.resilience.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The immutable configuration of a circuit breaker, validated when constructed. Property names in error
 * messages are those of {@code resilience.circuitbreaker.*}.
 *
 * <pre>{@code
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *         .failureRateThreshold(25)
 *         .waitDurationInOpenState(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 *
 * @param slidingWindowType count-based or time-based
 * @param slidingWindowSize calls (count-based) or seconds (time-based), at least 1
 * @param minimumNumberOfCalls calls in the window before rates are assessed, at least 1
 * @param failureRateThreshold percent in (0, 100]; at or above it the breaker opens
 * @param slowCallDurationThreshold a call at least this long is slow; positive
 * @param slowCallRateThreshold percent in (0, 100]; at or above it the breaker opens
 * @param waitDurationInOpenState how long OPEN lasts before HALF_OPEN; zero or positive
 * @param permittedNumberOfCallsInHalfOpenState trial calls in HALF_OPEN, at least 1
 * @param maxWaitDurationInHalfOpenState zero waits for the trials forever; else reopen after it
 * @param recordExceptions failures that count; empty means all
 * @param ignoreExceptions failures that count as nothing; wins over {@code recordExceptions}
 * @param criticality what an open breaker means for the degradation level
 * @param recordResult marks a returned value as a failure (e.g. an HTTP 503 response); {@code null} for none
 */
public record CircuitBreakerConfig(
        SlidingWindowType slidingWindowType,
        int slidingWindowSize,
        int minimumNumberOfCalls,
        float failureRateThreshold,
        Duration slowCallDurationThreshold,
        float slowCallRateThreshold,
        Duration waitDurationInOpenState,
        int permittedNumberOfCallsInHalfOpenState,
        Duration maxWaitDurationInHalfOpenState,
        List<Class<? extends Throwable>> recordExceptions,
        List<Class<? extends Throwable>> ignoreExceptions,
        Criticality criticality,
        Predicate<Object> recordResult) {

    private static final CircuitBreakerConfig DEFAULTS = new Builder().build();

    public CircuitBreakerConfig {
        Objects.requireNonNull(slidingWindowType, "sliding-window-type");
        Check.atLeast("sliding-window-size", slidingWindowSize, 1);
        Check.atLeast("minimum-number-of-calls", minimumNumberOfCalls, 1);
        Check.percent("failure-rate-threshold", failureRateThreshold);
        Check.positive("slow-call-duration-threshold", slowCallDurationThreshold);
        Check.percent("slow-call-rate-threshold", slowCallRateThreshold);
        Check.notNegative("wait-duration-in-open-state", waitDurationInOpenState);
        Check.atLeast("permitted-number-of-calls-in-half-open-state", permittedNumberOfCallsInHalfOpenState, 1);
        Check.notNegative("max-wait-duration-in-half-open-state", maxWaitDurationInHalfOpenState);
        recordExceptions = List.copyOf(recordExceptions);
        ignoreExceptions = List.copyOf(ignoreExceptions);
        Objects.requireNonNull(criticality, "criticality");
        if (slidingWindowType == SlidingWindowType.TIME_BASED && slidingWindowSize > 3600) {
            throw new InvalidConfigurationException("sliding-window-size", slidingWindowSize,
                    "must be at most 3600 (seconds) for a time-based window");
        }
        if (slidingWindowType == SlidingWindowType.COUNT_BASED && slidingWindowSize > CountWindow.MAX_SIZE) {
            throw new InvalidConfigurationException("sliding-window-size", slidingWindowSize,
                    "must be at most " + CountWindow.MAX_SIZE + " (calls) for a count-based window");
        }
    }

    /** The documented defaults. */
    public static CircuitBreakerConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link CircuitBreakerConfig}s; starts from the documented defaults. */
    public static final class Builder {
        private SlidingWindowType slidingWindowType = SlidingWindowType.COUNT_BASED;
        private int slidingWindowSize = 100;
        private int minimumNumberOfCalls = 20;
        private float failureRateThreshold = 50;
        private Duration slowCallDurationThreshold = Duration.ofSeconds(60);
        private float slowCallRateThreshold = 100;
        private Duration waitDurationInOpenState = Duration.ofSeconds(60);
        private int permittedNumberOfCallsInHalfOpenState = 10;
        private Duration maxWaitDurationInHalfOpenState = Duration.ZERO;
        private List<Class<? extends Throwable>> recordExceptions = List.of();
        private List<Class<? extends Throwable>> ignoreExceptions = List.of();
        private Criticality criticality = Criticality.IMPORTANT;
        private Predicate<Object> recordResult;

        private Builder() {
        }

        private Builder(CircuitBreakerConfig config) {
            slidingWindowType = config.slidingWindowType;
            slidingWindowSize = config.slidingWindowSize;
            minimumNumberOfCalls = config.minimumNumberOfCalls;
            failureRateThreshold = config.failureRateThreshold;
            slowCallDurationThreshold = config.slowCallDurationThreshold;
            slowCallRateThreshold = config.slowCallRateThreshold;
            waitDurationInOpenState = config.waitDurationInOpenState;
            permittedNumberOfCallsInHalfOpenState = config.permittedNumberOfCallsInHalfOpenState;
            maxWaitDurationInHalfOpenState = config.maxWaitDurationInHalfOpenState;
            recordExceptions = config.recordExceptions;
            ignoreExceptions = config.ignoreExceptions;
            criticality = config.criticality;
            recordResult = config.recordResult;
        }

        public Builder slidingWindowType(SlidingWindowType value) {
            slidingWindowType = value;
            return this;
        }

        public Builder slidingWindowSize(int value) {
            slidingWindowSize = value;
            return this;
        }

        public Builder minimumNumberOfCalls(int value) {
            minimumNumberOfCalls = value;
            return this;
        }

        public Builder failureRateThreshold(float value) {
            failureRateThreshold = value;
            return this;
        }

        public Builder slowCallDurationThreshold(Duration value) {
            slowCallDurationThreshold = value;
            return this;
        }

        public Builder slowCallRateThreshold(float value) {
            slowCallRateThreshold = value;
            return this;
        }

        public Builder waitDurationInOpenState(Duration value) {
            waitDurationInOpenState = value;
            return this;
        }

        public Builder permittedNumberOfCallsInHalfOpenState(int value) {
            permittedNumberOfCallsInHalfOpenState = value;
            return this;
        }

        public Builder maxWaitDurationInHalfOpenState(Duration value) {
            maxWaitDurationInHalfOpenState = value;
            return this;
        }

        public Builder recordExceptions(List<Class<? extends Throwable>> value) {
            recordExceptions = value;
            return this;
        }

        public Builder ignoreExceptions(List<Class<? extends Throwable>> value) {
            ignoreExceptions = value;
            return this;
        }

        public Builder criticality(Criticality value) {
            criticality = value;
            return this;
        }

        /** {@code null} for none. */
        public Builder recordResult(Predicate<Object> value) {
            recordResult = value;
            return this;
        }

        /** @throws InvalidConfigurationException naming the first property outside its range */
        public CircuitBreakerConfig build() {
            return new CircuitBreakerConfig(slidingWindowType, slidingWindowSize, minimumNumberOfCalls,
                    failureRateThreshold, slowCallDurationThreshold, slowCallRateThreshold, waitDurationInOpenState,
                    permittedNumberOfCallsInHalfOpenState, maxWaitDurationInHalfOpenState, recordExceptions,
                    ignoreExceptions, criticality, recordResult);
        }
    }
}
