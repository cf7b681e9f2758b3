package dev.resilience.circuitbreaker;

import java.time.Instant;

/**
 * A circuit breaker moved from one state to another.
 *
 * @param name the breaker's name
 * @param from the state it left
 * @param to the state it entered
 * @param at when it happened
 */
public record StateTransition(String name, CircuitBreakerState from, CircuitBreakerState to, Instant at) {
}
