package dev.resilience.autoconfigure;

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
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One kind of named, configured instance (a breaker, a retry, ...), described once: where its instances live,
 * how its configuration is resolved from {@code resilience.<kind>.*}, how an instance takes a new one and where
 * it records its events. The configurations, the wiring and the refresher iterate {@link #ALL}; adding a kind
 * means adding its descriptor here (and its call step in {@code aop.PolicyKind}), not a branch in each of them.
 *
 * @param <T> the instance type
 * @param <C> its configuration type
 */
public final class ResilienceKind<T, C> {

    /** {@code resilience.circuitbreaker.*}. */
    public static final ResilienceKind<CircuitBreaker, CircuitBreakerConfig> CIRCUIT_BREAKER = new ResilienceKind<>(
            "circuitbreaker", "circuitbreakers", "circuit breaker",
            CircuitBreakerRegistry.class, ResilienceRegistries::circuitBreakers,
            CircuitBreaker::getName, CircuitBreaker::getConfig, CircuitBreaker::reconfigure,
            CircuitBreaker::setEventSink,
            (all, name) -> all.circuitBreakers().forInstance(name),
            all -> all.circuitBreakers().configuredInstances(),
            all -> all.circuitBreakers().validateAll(),
            (all, bound) -> all.circuitBreakers().useProperties(bound.getCircuitbreaker()),
            (all, name, current, values) -> all.circuitBreakers().change(name, current, values));

    /** {@code resilience.retry.*}. */
    public static final ResilienceKind<Retry, RetryConfig> RETRY = new ResilienceKind<>(
            "retry", "retries", "retry", RetryRegistry.class, ResilienceRegistries::retries,
            Retry::getName, Retry::getConfig, Retry::reconfigure, Retry::setEventSink,
            (all, name) -> all.retries().forInstance(name),
            all -> all.retries().configuredInstances(),
            all -> all.retries().validateAll(),
            (all, bound) -> all.retries().useProperties(bound.getRetry()),
            (all, name, current, values) -> all.retries().change(name, current, values));

    /** {@code resilience.bulkhead.*}. */
    public static final ResilienceKind<Bulkhead, BulkheadConfig> BULKHEAD = new ResilienceKind<>(
            "bulkhead", "bulkheads", "bulkhead", BulkheadRegistry.class, ResilienceRegistries::bulkheads,
            Bulkhead::getName, Bulkhead::getConfig, Bulkhead::reconfigure, Bulkhead::setEventSink,
            (all, name) -> all.bulkheads().forInstance(name),
            all -> all.bulkheads().configuredInstances(),
            all -> all.bulkheads().validateAll(),
            (all, bound) -> all.bulkheads().useProperties(bound.getBulkhead()),
            (all, name, current, values) -> all.bulkheads().change(name, current, values));

    /** {@code resilience.ratelimiter.*}. */
    public static final ResilienceKind<RateLimiter, RateLimiterConfig> RATE_LIMITER = new ResilienceKind<>(
            "ratelimiter", "ratelimiters", "rate limiter",
            RateLimiterRegistry.class, ResilienceRegistries::rateLimiters,
            RateLimiter::getName, RateLimiter::getConfig, RateLimiter::reconfigure, RateLimiter::setEventSink,
            (all, name) -> all.rateLimiters().forInstance(name),
            all -> all.rateLimiters().configuredInstances(),
            all -> all.rateLimiters().validateAll(),
            (all, bound) -> all.rateLimiters().useProperties(bound.getRatelimiter()),
            (all, name, current, values) -> all.rateLimiters().change(name, current, values));

    /** {@code resilience.timeout.*}. */
    public static final ResilienceKind<Timeout, TimeoutConfig> TIMEOUT = new ResilienceKind<>(
            "timeout", "timeouts", "timeout", TimeoutRegistry.class, ResilienceRegistries::timeouts,
            Timeout::getName, Timeout::getConfig, Timeout::reconfigure, Timeout::setEventSink,
            (all, name) -> all.timeouts().forInstance(name),
            all -> all.timeouts().configuredInstances(),
            all -> all.timeouts().validateAll(),
            (all, bound) -> all.timeouts().useProperties(bound.getTimeout()),
            (all, name, current, values) -> all.timeouts().change(name, current, values));

    /** {@code resilience.degradation.features.*}: the {@code @Degradable} features. */
    public static final ResilienceKind<Feature, FeatureConfig> FEATURE = new ResilienceKind<>(
            "feature", "features", "feature", FeatureRegistry.class, ResilienceRegistries::features,
            Feature::getName, Feature::getConfig, Feature::reconfigure, Feature::setEventSink,
            (all, name) -> all.features().forFeature(name),
            all -> all.features().configuredFeatures(),
            all -> all.features().validateAll(),
            (all, bound) -> all.features().useProperties(bound.getDegradation()),
            (all, name, current, values) -> all.features().change(name, current, values));

    /** Every kind, in the order configurations are validated and reported. */
    public static final List<ResilienceKind<?, ?>> ALL = List.of(CIRCUIT_BREAKER, RETRY, BULKHEAD, RATE_LIMITER,
            TIMEOUT, FEATURE);

    private final String name;
    private final String path;
    private final String label;
    private final Class<? extends InstanceRegistry<T>> registryType;
    private final Function<ResilienceRegistries, ? extends InstanceRegistry<T>> registry;
    private final Function<T, String> instanceName;
    private final BiFunction<ResilienceConfigurations, String, C> resolve;
    private final Function<ResilienceConfigurations, Collection<String>> configured;
    private final Function<T, C> config;
    private final BiConsumer<T, C> reconfigure;
    private final BiConsumer<T, EventSink> eventSink;
    private final Consumer<ResilienceConfigurations> validate;
    private final BiConsumer<ResilienceConfigurations, ResilienceProperties> useProperties;
    private final Change<C> change;

    private ResilienceKind(String name, String path, String label, Class<? extends InstanceRegistry<T>> registryType,
            Function<ResilienceRegistries, ? extends InstanceRegistry<T>> registry, Function<T, String> instanceName,
            Function<T, C> config, BiConsumer<T, C> reconfigure, BiConsumer<T, EventSink> eventSink,
            BiFunction<ResilienceConfigurations, String, C> resolve,
            Function<ResilienceConfigurations, Collection<String>> configured,
            Consumer<ResilienceConfigurations> validate,
            BiConsumer<ResilienceConfigurations, ResilienceProperties> useProperties, Change<C> change) {
        this.name = name;
        this.path = path;
        this.label = label;
        this.registryType = registryType;
        this.registry = registry;
        this.instanceName = instanceName;
        this.resolve = resolve;
        this.configured = configured;
        this.config = config;
        this.reconfigure = reconfigure;
        this.eventSink = eventSink;
        this.validate = validate;
        this.useProperties = useProperties;
        this.change = change;
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
        return ALL.stream().filter(kind -> kind.path.equals(path)).findFirst();
    }

    /**
     * {@code current} changed by {@code values} (as read from JSON), bound and validated as {@code application.yml}
     * is; the instance itself is not touched.
     */
    public C change(ResilienceConfigurations configurations, String instance, C current, Map<String, Object> values) {
        return change.apply(configurations, instance, current, values);
    }

    /** This kind's registry among {@code registries}. */
    public InstanceRegistry<T> registry(ResilienceRegistries registries) {
        return registry.apply(registries);
    }

    /** The effective configuration of instance {@code instance}, resolved from {@code configurations}. */
    public C resolve(ResilienceConfigurations configurations, String instance) {
        return resolve.apply(configurations, instance);
    }

    /** The names of the instances configured under this kind's {@code instances}. */
    public Collection<String> configured(ResilienceConfigurations configurations) {
        return configured.apply(configurations);
    }

    /** The configuration {@code instance} runs on. */
    public C config(T instance) {
        return config.apply(instance);
    }

    /** Gives {@code instance} a new configuration; its state carries on. */
    public void reconfigure(T instance, C updated) {
        reconfigure.accept(instance, updated);
    }

    /** Makes {@code instance} record its events in {@code sink}. */
    public void recordEventsIn(T instance, EventSink sink) {
        eventSink.accept(instance, sink);
    }

    /** Resolves every shared configuration and instance of this kind, so that a bad value stops startup. */
    public void validateAll(ResilienceConfigurations configurations) {
        validate.accept(configurations);
    }

    /** Makes {@code configurations} resolve this kind from {@code properties} from now on. */
    void useProperties(ResilienceConfigurations configurations, ResilienceProperties properties) {
        useProperties.accept(configurations, properties);
    }

    /** {@code candidate} as this kind's registry, or {@code null} when it is not one. */
    public InstanceRegistry<T> asRegistry(Object candidate) {
        return registryType.isInstance(candidate) ? registryType.cast(candidate) : null;
    }

    /** The name of {@code instance}. */
    public String instanceName(T instance) {
        return instanceName.apply(instance);
    }

    /** Resolves a runtime change of one instance's configuration. */
    @FunctionalInterface
    private interface Change<C> {
        C apply(ResilienceConfigurations configurations, String instance, C current, Map<String, Object> values);
    }

    @Override
    public String toString() {
        return name;
    }
}
