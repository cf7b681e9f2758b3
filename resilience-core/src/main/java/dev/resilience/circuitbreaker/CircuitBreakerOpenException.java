package dev.resilience.circuitbreaker;

import dev.resilience.ResilienceException;

/** A call was rejected because its breaker is OPEN, FORCED_OPEN, or HALF_OPEN with every trial taken. */
public final class CircuitBreakerOpenException extends ResilienceException {

    private final CircuitBreakerState state;

    public CircuitBreakerOpenException(String name, CircuitBreakerState state) {
        super(name);
        this.state = state;
    }

    /** The breaker's state when it rejected the call. */
    public CircuitBreakerState getState() {
        return state;
    }

    @Override
    protected String describe() {
        return "Circuit breaker '" + getInstanceName() + "' is " + state + " and does not permit further calls";
    }
}
