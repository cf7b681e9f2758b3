package dev.resilience.circuitbreaker;

/**
 * A point-in-time reading of a breaker's window.
 *
 * @param failureRate percent of failed calls, or -1 before {@code minimum-number-of-calls}
 * @param slowCallRate percent of slow calls, or -1 before {@code minimum-number-of-calls}
 * @param bufferedCalls calls in the window (or trial calls completed while HALF_OPEN)
 * @param failedCalls failed calls among them
 * @param slowCalls slow calls among them
 * @param notPermittedCalls calls rejected since the breaker was created
 */
public record CircuitBreakerMetrics(float failureRate, float slowCallRate, int bufferedCalls, int failedCalls,
        int slowCalls, long notPermittedCalls) {
}
