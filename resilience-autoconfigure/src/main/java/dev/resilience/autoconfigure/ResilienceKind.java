package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.properties.ConfigResolver;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.EventSink;
import dev.resilience.core.InstanceRegistry;
import dev.resilience.degradation.Feature;
import dev.resilience.degradation.FeatureConfig;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One kind of named, configured instance (a breaker, a retry, ...), described once: where its instances live,
 * how its configuration is resolved from {@code resilience.<kind>.*}, how an instance takes a new one and where
 * it records its events. The configurations, the wiring and the refresher iterate {@link #ALL}; adding a kind
 * means adding its descriptor here (and its call step in {@code aop.PolicyKind}), not a branch in each of them.
 *
 * <p>Each kind is a small subclass rather than a set of lambdas: the sixty lambdas were as many classes spun at the
 * first start of every application (the cold-start profile of 1,000 guarded methods), six classes load faster.
 *
 * @param <T> the instance type
 * @param <C> its configuration type
 */
public abstract class ResilienceKind<T, C> {

    /** {@code resilience.circuitbreaker.*}. */
    public static final ResilienceKind<CircuitBreaker, CircuitBreakerConfig> CIRCUIT_BREAKER = new Resolved<>("circuitbreaker", "circuitbreakers",
            "circuit breaker", CircuitBreakerRegistry.class) {
        @Override
        public InstanceRegistry<CircuitBreaker> registry(ResilienceRegistries registries) {
            return registries.circuitBreakers();
        }

        @Override
        ConfigResolver<?, CircuitBreakerConfig> resolver(ResilienceConfigurations configurations) {
            return configurations.circuitBreakers();
        }

        @Override
        void useProperties(ResilienceConfigurations configurations, ResilienceProperties properties) {
            configurations.circuitBreakers().useProperties(properties.getCircuitbreaker());
        }

        @Override
        public String instanceName(CircuitBreaker breaker) {
            return breaker.getName();
        }

        @Override
        public CircuitBreakerConfig config(CircuitBreaker breaker) {
            return breaker.getConfig();
        }

        @Override
        public void reconfigure(CircuitBreaker breaker, CircuitBreakerConfig updated) {
            breaker.reconfigure(updated);
        }

        @Override
        public void recordEventsIn(CircuitBreaker breaker, EventSink sink) {
            breaker.setEventSink(sink);
        }
    };

    /** {@code resilience.retry.*}. */
    public static final ResilienceKind<Retry, RetryConfig> RETRY = new Resolved<>("retry", "retries",
            "retry", RetryRegistry.class) {
        @Override
        public InstanceRegistry<Retry> registry(ResilienceRegistries registries) {
            return registries.retries();
        }

        @Override
        ConfigResolver<?, RetryConfig> resolver(ResilienceConfigurations configurations) {
            return configurations.retries();
        }

        @Override
        void useProperties(ResilienceConfigurations configurations, ResilienceProperties properties) {
            configurations.retries().useProperties(properties.getRetry());
        }

        @Override
        public String instanceName(Retry retry) {
            return retry.getName();
        }

        @Override
        public RetryConfig config(Retry retry) {
            return retry.getConfig();
        }

        @Override
        public void reconfigure(Retry retry, RetryConfig updated) {
            retry.reconfigure(updated);
        }

        @Override
        public void recordEventsIn(Retry retry, EventSink sink) {
            retry.setEventSink(sink);
        }
    };

    /** {@code resilience.bulkhead.*}. */
    public static final ResilienceKind<Bulkhead, BulkheadConfig> BULKHEAD = new Resolved<>("bulkhead", "bulkheads",
            "bulkhead", BulkheadRegistry.class) {
        @Override
        public InstanceRegistry<Bulkhead> registry(ResilienceRegistries registries) {
            return registries.bulkheads();
        }

        @Override
        ConfigResolver<?, BulkheadConfig> resolver(ResilienceConfigurations configurations) {
            return configurations.bulkheads();
        }

        @Override
        void useProperties(ResilienceConfigurations configurations, ResilienceProperties properties) {
            configurations.bulkheads().useProperties(properties.getBulkhead());
        }

        @Override
        public String instanceName(Bulkhead bulkhead) {
            return bulkhead.getName();
        }

        @Override
        public BulkheadConfig config(Bulkhead bulkhead) {
            return bulkhead.getConfig();
        }

        @Override
        public void reconfigure(Bulkhead bulkhead, BulkheadConfig updated) {
            bulkhead.reconfigure(updated);
        }

        @Override
        public void recordEventsIn(Bulkhead bulkhead, EventSink sink) {
            bulkhead.setEventSink(sink);
        }
    };

    /** {@code resilience.ratelimiter.*}. */
    public static final ResilienceKind<RateLimiter, RateLimiterConfig> RATE_LIMITER = new Resolved<>("ratelimiter", "ratelimiters",
            "rate limiter", RateLimiterRegistry.class) {
        @Override
        public InstanceRegistry<RateLimiter> registry(ResilienceRegistries registries) {
            return registries.rateLimiters();
        }

        @Override
        ConfigResolver<?, RateLimiterConfig> resolver(ResilienceConfigurations configurations) {
            return configurations.rateLimiters();
        }

        @Override
        void useProperties(ResilienceConfigurations configurations, ResilienceProperties properties) {
            configurations.rateLimiters().useProperties(properties.getRatelimiter());
        }

        @Override
        public String instanceName(RateLimiter limiter) {
            return limiter.getName();
        }

        @Override
        public RateLimiterConfig config(RateLimiter limiter) {
            return limiter.getConfig();
        }

        @Override
        public void reconfigure(RateLimiter limiter, RateLimiterConfig updated) {
            limiter.reconfigure(updated);
        }

        @Override
        public void recordEventsIn(RateLimiter limiter, EventSink sink) {
            limiter.setEventSink(sink);
        }
    };

    /** {@code resilience.timeout.*}. */
    public static final ResilienceKind<Timeout, TimeoutConfig> TIMEOUT = new Resolved<>("timeout", "timeouts",
            "timeout", TimeoutRegistry.class) {
        @Override
        public InstanceRegistry<Timeout> registry(ResilienceRegistries registries) {
            return registries.timeouts();
        }

        @Override
        ConfigResolver<?, TimeoutConfig> resolver(ResilienceConfigurations configurations) {
            return configurations.timeouts();
        }

        @Override
        void useProperties(ResilienceConfigurations configurations, ResilienceProperties properties) {
            configurations.timeouts().useProperties(properties.getTimeout());
        }

        @Override
        public String instanceName(Timeout timeout) {
            return timeout.getName();
        }

        @Override
        public TimeoutConfig config(Timeout timeout) {
            return timeout.getConfig();
        }

        @Override
        public void reconfigure(Timeout timeout, TimeoutConfig updated) {
            timeout.reconfigure(updated);
        }

        @Override
        public void recordEventsIn(Timeout timeout, EventSink sink) {
            timeout.setEventSink(sink);
        }
    };

    /** {@code resilience.degradation.features.*}: the {@code @Degradable} features. */
    public static final ResilienceKind<Feature, FeatureConfig> FEATURE = new ResilienceKind<>("feature", "features",
            "feature", FeatureRegistry.class) {
        @Override
        public InstanceRegistry<Feature> registry(ResilienceRegistries registries) {
            return registries.features();
        }

        @Override
        public FeatureConfig resolve(ResilienceConfigurations configurations, String instance) {
            return configurations.features().forFeature(instance);
        }

        @Override
        public Collection<String> configured(ResilienceConfigurations configurations) {
            return configurations.features().configuredFeatures();
        }

        @Override
        public void validateAll(ResilienceConfigurations configurations) {
            configurations.features().validateAll();
        }

        @Override
        void useProperties(ResilienceConfigurations configurations, ResilienceProperties properties) {
            configurations.features().useProperties(properties.getDegradation());
        }

        @Override
        public FeatureConfig change(ResilienceConfigurations configurations, String instance, FeatureConfig current,
                Map<String, Object> values) {
            return configurations.features().change(instance, current, values);
        }

        @Override
        public String instanceName(Feature feature) {
            return feature.getName();
        }

        @Override
        public FeatureConfig config(Feature feature) {
            return feature.getConfig();
        }

        @Override
        public void reconfigure(Feature feature, FeatureConfig updated) {
            feature.reconfigure(updated);
        }

        @Override
        public void recordEventsIn(Feature feature, EventSink sink) {
            feature.setEventSink(sink);
        }
    };

    /** Every kind, in the order configurations are validated and reported. */
    public static final List<ResilienceKind<?, ?>> ALL = List.of(CIRCUIT_BREAKER, RETRY, BULKHEAD, RATE_LIMITER,
            TIMEOUT, FEATURE);

    private final String name;
    private final String path;
    private final String label;
    private final Class<? extends InstanceRegistry<T>> registryType;

    private ResilienceKind(String name, String path, String label, Class<? extends InstanceRegistry<T>> registryType) {
        this.name = name;
        this.path = path;
        this.label = label;
        this.registryType = registryType;
    }

    /** The kind's name, as in its events. */
    public String name() {
        return name;
    }

    /** Its segment in the actuator endpoint's paths ({@code /actuator/resilience/<path>/<name>}). */
    public String path() {
        return path;
    }

    /** What one instance is called in messages ("circuit breaker"). */
    public String label() {
        return label;
    }

    /** The kind whose endpoint path segment is {@code path}, if any. */
    public static Optional<ResilienceKind<?, ?>> byPath(String path) {
        for (ResilienceKind<?, ?> kind : ALL) {
            if (kind.path.equals(path)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code current} changed by {@code values} (as read from JSON), bound and validated as {@code application.yml}
     * is; the instance itself is not touched.
     */
    public abstract C change(ResilienceConfigurations configurations, String instance, C current,
            Map<String, Object> values);

    /** This kind's registry among {@code registries}. */
    public abstract InstanceRegistry<T> registry(ResilienceRegistries registries);

    /** The effective configuration of instance {@code instance}, resolved from {@code configurations}. */
    public abstract C resolve(ResilienceConfigurations configurations, String instance);

    /** The names of the instances configured under this kind's {@code instances}. */
    public abstract Collection<String> configured(ResilienceConfigurations configurations);

    /** The configuration {@code instance} runs on. */
    public abstract C config(T instance);

    /** Gives {@code instance} a new configuration; its state carries on. */
    public abstract void reconfigure(T instance, C updated);

    /** Makes {@code instance} record its events in {@code sink}. */
    public abstract void recordEventsIn(T instance, EventSink sink);

    /** Resolves every shared configuration and instance of this kind, so that a bad value stops startup. */
    public abstract void validateAll(ResilienceConfigurations configurations);

    /** Makes {@code configurations} resolve this kind from {@code properties} from now on. */
    abstract void useProperties(ResilienceConfigurations configurations, ResilienceProperties properties);

    /** {@code candidate} as this kind's registry, or {@code null} when it is not one. */
    public InstanceRegistry<T> asRegistry(Object candidate) {
        return registryType.isInstance(candidate) ? registryType.cast(candidate) : null;
    }

    /** The name of {@code instance}. */
    public abstract String instanceName(T instance);

    @Override
    public String toString() {
        return name;
    }

    /** A kind whose configurations a {@link ConfigResolver} resolves (every kind but the features). */
    private abstract static class Resolved<T, C> extends ResilienceKind<T, C> {

        Resolved(String name, String path, String label, Class<? extends InstanceRegistry<T>> registryType) {
            super(name, path, label, registryType);
        }

        abstract ConfigResolver<?, C> resolver(ResilienceConfigurations configurations);

        @Override
        public C resolve(ResilienceConfigurations configurations, String instance) {
            return resolver(configurations).forInstance(instance);
        }

        @Override
        public Collection<String> configured(ResilienceConfigurations configurations) {
            return resolver(configurations).configuredInstances();
        }

        @Override
        public void validateAll(ResilienceConfigurations configurations) {
            resolver(configurations).validateAll();
        }

        @Override
        public C change(ResilienceConfigurations configurations, String instance, C current,
                Map<String, Object> values) {
            return resolver(configurations).change(instance, current, values);
        }
    }
}
