package dev.resilience.autoconfigure.properties;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/** Configuration of every policy, under {@code resilience.*}. */
@ConfigurationProperties("resilience")
public class ResilienceProperties {

    /** Circuit breakers: resilience.circuitbreaker.configs.* and resilience.circuitbreaker.instances.*. */
    @NestedConfigurationProperty
    private final CircuitBreakerProperties circuitbreaker = new CircuitBreakerProperties();

    /** Retries: resilience.retry.configs.* and resilience.retry.instances.*. */
    @NestedConfigurationProperty
    private final RetryProperties retry = new RetryProperties();

    /** Bulkheads: resilience.bulkhead.configs.* and resilience.bulkhead.instances.*. */
    @NestedConfigurationProperty
    private final BulkheadProperties bulkhead = new BulkheadProperties();

    public CircuitBreakerProperties getCircuitbreaker() {
        return circuitbreaker;
    }

    public RetryProperties getRetry() {
        return retry;
    }

    public BulkheadProperties getBulkhead() {
        return bulkhead;
    }
}
