package dev.resilience.circuitbreaker;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Timing;
import java.util.function.Function;

/** The application's circuit breakers by name, each created from its configuration on first request. */
public final class CircuitBreakerRegistry extends InstanceRegistry<CircuitBreaker> {

    /** @param configurations the effective configuration for a breaker name */
    public CircuitBreakerRegistry(Function<String, CircuitBreakerConfig> configurations, Timing timing) {
        super(name -> new CircuitBreaker(name, configurations.apply(name), timing));
    }
}
