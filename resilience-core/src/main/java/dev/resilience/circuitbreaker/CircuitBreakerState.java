package dev.resilience.circuitbreaker;

/** The states of a circuit breaker. */
public enum CircuitBreakerState {
    /** Calls pass and their outcomes are recorded. */
    CLOSED,
    /** Calls are rejected until the wait duration has passed. */
    OPEN,
    /** A limited number of trial calls pass; their outcome decides between CLOSED and OPEN. */
    HALF_OPEN,
    /** Rejects every call until moved by hand. */
    FORCED_OPEN,
    /** Lets every call pass and records nothing until moved by hand. */
    DISABLED
}
