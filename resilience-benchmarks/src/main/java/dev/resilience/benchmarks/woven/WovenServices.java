package dev.resilience.benchmarks.woven;

/**
 * The starter's annotations on a class woven at compile time by ajc (AspectJ mode): the same trivial methods as
 * {@code Services.Ours}, called on a plain object with no proxy. This package alone is compiled by ajc.
 */
public class WovenServices {
    private int value = 42;

    @dev.resilience.annotation.CircuitBreaker("bench")
    public int breaker() {
        return value;
    }

    @dev.resilience.annotation.Retry("bench")
    public int retry() {
        return value;
    }

    @dev.resilience.annotation.Bulkhead("bench")
    public int bulkhead() {
        return value;
    }

    @dev.resilience.annotation.CircuitBreaker("bench")
    @dev.resilience.annotation.Retry("bench")
    @dev.resilience.annotation.Bulkhead("bench")
    @dev.resilience.annotation.Fallback("fallback")
    public int stacked() {
        return value;
    }

    @dev.resilience.annotation.CircuitBreaker("open")
    @dev.resilience.annotation.Fallback("fallback")
    public int open() {
        return value;
    }

    int fallback() {
        return -1;
    }
}
