package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.properties.BulkheadBinder;
import dev.resilience.autoconfigure.properties.BulkheadSpec;
import dev.resilience.autoconfigure.properties.ChaosBinder;
import dev.resilience.autoconfigure.properties.CircuitBreakerBinder;
import dev.resilience.autoconfigure.properties.CircuitBreakerSpec;
import dev.resilience.autoconfigure.properties.ConfigResolver;
import dev.resilience.autoconfigure.properties.FeatureBinder;
import dev.resilience.autoconfigure.properties.LastKnownGoodBinder;
import dev.resilience.autoconfigure.properties.LastKnownGoodSpec;
import dev.resilience.autoconfigure.properties.RateLimiterBinder;
import dev.resilience.autoconfigure.properties.RateLimiterSpec;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.autoconfigure.properties.RetryBinder;
import dev.resilience.autoconfigure.properties.RetrySpec;
import dev.resilience.autoconfigure.properties.TimeoutBinder;
import dev.resilience.autoconfigure.properties.TimeoutSpec;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.lastknowngood.LastKnownGoodConfig;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.RetryConfig;
import dev.resilience.timeout.TimeoutConfig;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The effective configuration of every instance of every kind, resolved from {@code resilience.*}.
 *
 * @param circuitBreakers {@code resilience.circuitbreaker.*}
 * @param retries {@code resilience.retry.*}
 * @param bulkheads {@code resilience.bulkhead.*}
 * @param rateLimiters {@code resilience.ratelimiter.*}
 * @param timeouts {@code resilience.timeout.*}
 * @param features {@code resilience.degradation.features.*}
 * @param chaos {@code resilience.chaos.instances.*}
 * @param lastKnownGood {@code resilience.last-known-good.*}
 */
public record ResilienceConfigurations(
        ConfigResolver<CircuitBreakerSpec, CircuitBreakerConfig> circuitBreakers,
        ConfigResolver<RetrySpec, RetryConfig> retries,
        ConfigResolver<BulkheadSpec, BulkheadConfig> bulkheads,
        ConfigResolver<RateLimiterSpec, RateLimiterConfig> rateLimiters,
        ConfigResolver<TimeoutSpec, TimeoutConfig> timeouts,
        FeatureBinder features,
        ChaosBinder chaos,
        ConfigResolver<LastKnownGoodSpec, LastKnownGoodConfig> lastKnownGood) {

    /**
     * The resolvers for {@code properties}, resolving class names against {@code classLoader} and predicate names
     * against {@code beans} (the application's bean of a name, or {@code null}).
     */
    public static ResilienceConfigurations from(ResilienceProperties properties, ClassLoader classLoader,
            Function<String, Object> beans) {
        return from(properties, classLoader, beans, () -> beans.apply(RateLimiterBinder.BACKEND_BEAN));
    }

    /**
     * As {@link #from(ResilienceProperties, ClassLoader, Function)}, with the application's rate limiter backend
     * ({@code RateLimiterBackend}, whatever its bean's name; {@code null} without one) for {@code scope: cluster}.
     */
    public static ResilienceConfigurations from(ResilienceProperties properties, ClassLoader classLoader,
            Function<String, Object> beans, Supplier<?> rateLimiterBackend) {
        return new ResilienceConfigurations(
                new ConfigResolver<>(properties.getCircuitbreaker(), new CircuitBreakerBinder(), classLoader, beans),
                new ConfigResolver<>(properties.getRetry(), new RetryBinder(), classLoader, beans),
                new ConfigResolver<>(properties.getBulkhead(), new BulkheadBinder(), classLoader, beans),
                new ConfigResolver<>(properties.getRatelimiter(), new RateLimiterBinder(rateLimiterBackend),
                        classLoader, beans),
                new ConfigResolver<>(properties.getTimeout(), new TimeoutBinder(), classLoader, beans),
                new FeatureBinder(properties.getDegradation()),
                new ChaosBinder(properties.getChaos(), classLoader),
                new ConfigResolver<>(properties.getLastKnownGood(), new LastKnownGoodBinder(), classLoader, beans));
    }

    /** Resolves every configuration and instance, so that a bad value stops startup. */
    public void validateAll() {
        ResilienceKind.ALL.forEach(kind -> kind.validateAll(this));
        chaos.validateAll();
        lastKnownGood.validateAll();
    }

    /** Resolves from {@code properties} from now on, for instances created later. */
    void useProperties(ResilienceProperties properties) {
        ResilienceKind.ALL.forEach(kind -> kind.useProperties(this, properties));
        lastKnownGood.useProperties(properties.getLastKnownGood());
    }
}
