package dev.resilience.circuitbreaker;

/**
 * A point-in-time reading of a breaker's window.
 *
 * @param failureRate percent of failed calls, or -1 before {@code minimum-number-of-calls}
 * @param slowCallRate percent of slow calls, or -1 before {@code minimum-number-of-calls}
 * @param bufferedCalls calls in the window (or trial calls completed while HALF_OPEN)
 * @param failedCalls failed calls among them
 * @param slowCalls slow calls among them, failed or not
 * @param slowFailedCalls calls among them that were both slow and failed
 * @param notPermittedCalls calls rejected since the breaker was created
 */
public record CircuitBreakerMetrics(float failureRate, float slowCallRate, int bufferedCalls, int failedCalls,
        int slowCalls, int slowFailedCalls, long notPermittedCalls) {

    /** Calls in the window that did not fail. */
    public int successfulCalls() {
        return bufferedCalls - failedCalls;
    }

    /** Slow calls in the window that did not fail. */
    public int slowSuccessfulCalls() {
        return slowCalls - slowFailedCalls;
    }
}
