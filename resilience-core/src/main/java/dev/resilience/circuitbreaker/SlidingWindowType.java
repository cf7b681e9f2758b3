package dev.resilience.circuitbreaker;

/** How a breaker's sliding window is measured. */
public enum SlidingWindowType {
    /** The last {@code sliding-window-size} calls. */
    COUNT_BASED,
    /** The calls of the last {@code sliding-window-size} seconds. */
    TIME_BASED
}
