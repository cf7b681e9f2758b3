package dev.resilience.autoconfigure.properties;

/** {@code resilience.circuitbreaker.configs} and {@code resilience.circuitbreaker.instances}. */
public class CircuitBreakerProperties extends KindProperties<CircuitBreakerSpec> {
}
