package dev.resilience.test;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.retry.Retry;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions for the starter's instances (AssertJ must be on the test class path, as it is with
 * {@code spring-boot-starter-test}).
 *
 * <pre>{@code
 * assertThat(resilience.circuitBreaker("prices")).isOpen().hasFailedCalls(5);
 * assertThat(resilience.retry("prices")).hasRetryAttempts(2);
 * }</pre>
 */
public final class ResilienceAssertions {

    private ResilienceAssertions() {
    }

    public static CircuitBreakerAssert assertThat(CircuitBreaker actual) {
        return new CircuitBreakerAssert(actual);
    }

    public static RetryAssert assertThat(Retry actual) {
        return new RetryAssert(actual);
    }

    /** Assertions on a breaker's state and the figures of its window. */
    public static final class CircuitBreakerAssert extends AbstractAssert<CircuitBreakerAssert, CircuitBreaker> {

        CircuitBreakerAssert(CircuitBreaker actual) {
            super(actual, CircuitBreakerAssert.class);
        }

        public CircuitBreakerAssert hasState(CircuitBreakerState expected) {
            isNotNull();
            CircuitBreakerState state = actual.getState();
            if (state != expected) {
                failWithMessage("Expected circuit breaker '%s' to be %s but was %s", actual.getName(), expected, state);
            }
            return this;
        }

        public CircuitBreakerAssert isClosed() {
            return hasState(CircuitBreakerState.CLOSED);
        }

        public CircuitBreakerAssert isOpen() {
            return hasState(CircuitBreakerState.OPEN);
        }

        public CircuitBreakerAssert isHalfOpen() {
            return hasState(CircuitBreakerState.HALF_OPEN);
        }

        public CircuitBreakerAssert hasFailedCalls(int expected) {
            isNotNull();
            int failed = actual.getMetrics().failedCalls();
            if (failed != expected) {
                failWithMessage("Expected circuit breaker '%s' to have %s failed calls in its window but had %s",
                        actual.getName(), expected, failed);
            }
            return this;
        }

        public CircuitBreakerAssert hasBufferedCalls(int expected) {
            isNotNull();
            int buffered = actual.getMetrics().bufferedCalls();
            if (buffered != expected) {
                failWithMessage("Expected circuit breaker '%s' to have %s calls in its window but had %s",
                        actual.getName(), expected, buffered);
            }
            return this;
        }

        public CircuitBreakerAssert hasNotPermittedCalls(long expected) {
            isNotNull();
            long rejected = actual.getNotPermittedCalls();
            if (rejected != expected) {
                failWithMessage("Expected circuit breaker '%s' to have rejected %s calls but rejected %s",
                        actual.getName(), expected, rejected);
            }
            return this;
        }
    }

    /** Assertions on a retry's lifetime counters. */
    public static final class RetryAssert extends AbstractAssert<RetryAssert, Retry> {

        RetryAssert(Retry actual) {
            super(actual, RetryAssert.class);
        }

        public RetryAssert hasRetryAttempts(long expected) {
            isNotNull();
            long attempts = actual.getMetrics().retryAttempts();
            if (attempts != expected) {
                failWithMessage("Expected retry '%s' to have made %s retry attempts but made %s", actual.getName(),
                        expected, attempts);
            }
            return this;
        }
    }
}
