package dev.resilience.circuitbreaker;

/**
 * The outcomes a closed breaker judges by. Recording takes no lock and allocates nothing.
 * Outcomes are bit sets of {@link #FAILED} and {@link #SLOW}.
 */
sealed interface Window permits CountWindow, TimeWindow {

    int FAILED = 1;
    int SLOW = 2;

    /**
     * Records one outcome.
     *
     * @return whether the window's figures changed; when they did not, judging them again can change nothing
     */
    boolean record(int outcome, long nowNanos);

    /** Calls in the window at {@code nowNanos}. */
    int calls(long nowNanos);

    int failed(long nowNanos);

    int slow(long nowNanos);

    /** Calls both slow and failed; {@link #slow} less these are the slow successful ones. */
    int slowFailed(long nowNanos);

    static Window create(CircuitBreakerConfig config) {
        return config.slidingWindowType() == SlidingWindowType.COUNT_BASED
                ? new CountWindow(config.slidingWindowSize())
                : new TimeWindow(config.slidingWindowSize());
    }
}
