package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.aop.PolicyInstances;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.TimeoutRegistry;

/**
 * Every registry of the application, together, for the pipeline factory, meters, the endpoint and refresh.
 *
 * @param circuitBreakers the breakers
 * @param retries the retries
 * @param bulkheads the bulkheads
 * @param rateLimiters the rate limiters
 * @param timeouts the timeouts
 * @param features the {@code @Degradable} features
 */
public record ResilienceRegistries(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries,
        BulkheadRegistry bulkheads, RateLimiterRegistry rateLimiters, TimeoutRegistry timeouts,
        FeatureRegistry features) implements PolicyInstances {
}
