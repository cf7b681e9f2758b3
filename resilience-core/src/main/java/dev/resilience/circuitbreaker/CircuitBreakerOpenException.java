package dev.resilience.circuitbreaker;

import dev.resilience.ResilienceException;

/** A call was rejected because its breaker is OPEN, FORCED_OPEN, or HALF_OPEN with every trial taken. */
public final class CircuitBreakerOpenException extends ResilienceException {

    private final CircuitBreakerState state;
    private final boolean shared;

    public CircuitBreakerOpenException(String name, CircuitBreakerState state) {
        this(name, state, true);
    }

    private CircuitBreakerOpenException(String name, CircuitBreakerState state, boolean enableSuppression) {
        super(name, enableSuppression);
        this.state = state;
        this.shared = !enableSuppression;
    }

    /** One instance that a breaker throws for every call it rejects in {@code state}: it keeps no suppressed. */
    static CircuitBreakerOpenException shared(String name, CircuitBreakerState state) {
        return new CircuitBreakerOpenException(name, state, false);
    }

    /** The breaker's state when it rejected the call. */
    public CircuitBreakerState getState() {
        return state;
    }

    @Override
    public CircuitBreakerOpenException unshared() {
        return shared ? new CircuitBreakerOpenException(getInstanceName(), state) : this;
    }

    @Override
    protected String describe() {
        return "Circuit breaker '" + getInstanceName() + "' is " + state + " and does not permit further calls";
    }
}
