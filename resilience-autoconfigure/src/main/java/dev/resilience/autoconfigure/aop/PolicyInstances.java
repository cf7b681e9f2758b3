package dev.resilience.autoconfigure.aop;

import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.TimeoutRegistry;

/**
 * Where a pipeline finds its named instances. The auto-configuration's {@code ResilienceRegistries} is one; the
 * interface keeps this package from depending on the auto-configuration that depends on it.
 */
public interface PolicyInstances {

    CircuitBreakerRegistry circuitBreakers();

    RetryRegistry retries();

    BulkheadRegistry bulkheads();

    RateLimiterRegistry rateLimiters();

    TimeoutRegistry timeouts();

    FeatureRegistry features();
}
