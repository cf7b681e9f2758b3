package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.properties.BulkheadBinder;
import dev.resilience.autoconfigure.properties.BulkheadSpec;
import dev.resilience.autoconfigure.properties.CircuitBreakerBinder;
import dev.resilience.autoconfigure.properties.CircuitBreakerSpec;
import dev.resilience.autoconfigure.properties.ConfigResolver;
import dev.resilience.autoconfigure.properties.FeatureBinder;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.autoconfigure.properties.RetryBinder;
import dev.resilience.autoconfigure.properties.RetrySpec;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.retry.RetryConfig;

/**
 * The effective configuration of every instance of every kind, resolved from {@code resilience.*}.
 *
 * @param circuitBreakers {@code resilience.circuitbreaker.*}
 * @param retries {@code resilience.retry.*}
 * @param bulkheads {@code resilience.bulkhead.*}
 * @param features {@code resilience.degradation.features.*}
 */
public record ResilienceConfigurations(
        ConfigResolver<CircuitBreakerSpec, CircuitBreakerConfig> circuitBreakers,
        ConfigResolver<RetrySpec, RetryConfig> retries,
        ConfigResolver<BulkheadSpec, BulkheadConfig> bulkheads,
        FeatureBinder features) {

    /** The resolvers for {@code properties}, resolving exception classes against {@code classLoader}. */
    public static ResilienceConfigurations from(ResilienceProperties properties, ClassLoader classLoader) {
        return new ResilienceConfigurations(
                new ConfigResolver<>(properties.getCircuitbreaker(), new CircuitBreakerBinder(), classLoader),
                new ConfigResolver<>(properties.getRetry(), new RetryBinder(), classLoader),
                new ConfigResolver<>(properties.getBulkhead(), new BulkheadBinder(), classLoader),
                new FeatureBinder(properties.getDegradation()));
    }

    /** Resolves every configuration and instance, so that a bad value stops startup. */
    public void validateAll() {
        circuitBreakers.validateAll();
        retries.validateAll();
        bulkheads.validateAll();
        features.validateAll();
    }
}
