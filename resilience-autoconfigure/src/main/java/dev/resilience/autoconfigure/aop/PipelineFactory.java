package dev.resilience.autoconfigure.aop;

import dev.resilience.autoconfigure.ResilienceRegistries;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.chaos.Chaos;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.Timing;
import dev.resilience.degradation.Feature;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.fallback.FallbackResolver;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;
import dev.resilience.timeout.Timeout;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.springframework.core.MethodClassKey;
import org.springframework.util.ClassUtils;

/**
 * Builds the pipeline of each guarded method once, in the contract's fixed order (outermost first):
 * Fallback, Degradable, Retry, CircuitBreaker, RateLimiter, Timeout, Bulkhead, method. Instances are looked
 * up by name here, never per call.
 */
public final class PipelineFactory {

    private final ResilienceRegistries registries;
    private final ChaosRegistry chaos;
    private final Timing timing;
    private final Map<MethodClassKey, Pipeline> pipelines = new ConcurrentHashMap<>();
    private final List<FallbackChain> fallbackChains = new CopyOnWriteArrayList<>();
    private final List<Consumer<FallbackChain>> fallbackListeners = new CopyOnWriteArrayList<>();

    /** @param chaos fault injection, or {@code null} while it is disabled: then pipelines have no chaos step */
    public PipelineFactory(ResilienceRegistries registries, ChaosRegistry chaos, Timing timing) {
        this.registries = registries;
        this.chaos = chaos;
        this.timing = timing;
    }

    /** Calls {@code listener} for each fallback chain built so far and each one built later. */
    public void onFallbackChain(Consumer<FallbackChain> listener) {
        fallbackListeners.add(listener);
        fallbackChains.forEach(listener);
    }

    /**
     * The pipeline of {@code method} invoked on {@code targetClass}, built on first request.
     *
     * @throws IllegalStateException when a declaration is invalid (e.g. a fallback that does not exist)
     */
    Pipeline pipelineFor(Method method, Class<?> targetClass) {
        MethodClassKey key = new MethodClassKey(method, targetClass);
        Pipeline existing = pipelines.get(key);
        return existing != null ? existing : pipelines.computeIfAbsent(key, ignored -> build(method, targetClass));
    }

    /** Builds (and so validates) the pipelines of the given guarded methods of {@code targetClass}. */
    void prepare(Class<?> targetClass, List<Method> guardedMethods) {
        guardedMethods.forEach(method -> pipelineFor(method, targetClass));
    }

    private Pipeline build(Method method, Class<?> targetClass) {
        GuardedMethod guarded = GuardedMethod.resolve(method, targetClass);
        if (!guarded.hasPolicy()) {
            return Pipeline.PassThrough.INSTANCE;
        }
        FallbackChain fallback = guarded.fallback() == null ? null : FallbackResolver.resolve(targetClass,
                guarded.method(), guarded.fallbackMethods(), List.of(guarded.fallback().applyOn()),
                List.of(guarded.fallback().skipOn()));
        Instances instances = instances(guarded);
        if (fallback != null) {
            fallbackChains.add(fallback);
            fallbackListeners.forEach(listener -> listener.accept(fallback));
        }
        Class<?> returnType = guarded.method().getReturnType();
        if (returnType == CompletionStage.class || returnType == CompletableFuture.class) {
            return new Pipeline.Asynchronous(asynchronous(instances, fallback));
        }
        if (isPublisher(returnType)) {
            return reactive(guarded, returnType, instances, fallback);
        }
        return new Pipeline.Synchronous(synchronous(instances, fallback));
    }

    private static Pipeline reactive(GuardedMethod guarded, Class<?> returnType, Instances instances,
            FallbackChain fallback) {
        boolean reactor = ClassUtils.isPresent("reactor.core.publisher.Mono", returnType.getClassLoader());
        if (!reactor || !ReactorPipeline.handles(returnType)) {
            throw new IllegalStateException("Resilience annotations on " + guarded.describe() + ", which returns "
                    + returnType.getSimpleName() + ", are not supported: return a Mono, a Flux or a "
                    + "CompletionStage/CompletableFuture instead");
        }
        return new ReactorPipeline(ReactorPipeline.isMono(returnType), fallback, instances.feature,
                instances.retry, instances.breaker, instances.limiter, instances.timeout, instances.bulkhead,
                instances.chaos);
    }

    private Instances instances(GuardedMethod guarded) {
        CircuitBreaker breaker = guarded.circuitBreaker() == null ? null : registries.circuitBreakers().get(
                guarded.instanceName(guarded.circuitBreaker(), guarded.circuitBreaker().value(),
                        guarded.circuitBreaker().name()));
        Retry retry = guarded.retry() == null ? null : registries.retries().get(guarded.instanceName(guarded.retry(),
                guarded.retry().value(), guarded.retry().name()));
        Bulkhead bulkhead = guarded.bulkhead() == null ? null : registries.bulkheads().get(guarded.instanceName(
                guarded.bulkhead(), guarded.bulkhead().value(), guarded.bulkhead().name()));
        RateLimiter limiter = guarded.rateLimiter() == null ? null : registries.rateLimiters().get(
                guarded.instanceName(guarded.rateLimiter(), guarded.rateLimiter().value(),
                        guarded.rateLimiter().name()));
        Timeout timeout = guarded.timeout() == null ? null : registries.timeouts().get(guarded.instanceName(
                guarded.timeout(), guarded.timeout().value(), guarded.timeout().name()));
        Feature feature = guarded.degradable() == null ? null : registries.features().get(guarded.instanceName(
                guarded.degradable(), guarded.degradable().value(), guarded.degradable().name()));
        return new Instances(breaker, retry, bulkhead, limiter, timeout, feature, chaos(breaker, retry, bulkhead,
                limiter, timeout, feature));
    }

    /** Fault injection for every name the method uses, while chaos is enabled. */
    private List<Chaos> chaos(CircuitBreaker breaker, Retry retry, Bulkhead bulkhead, RateLimiter limiter,
            Timeout timeout, Feature feature) {
        if (chaos == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        Stream.of(breaker == null ? null : breaker.getName(), retry == null ? null : retry.getName(),
                bulkhead == null ? null : bulkhead.getName(), limiter == null ? null : limiter.getName(),
                timeout == null ? null : timeout.getName(), feature == null ? null : feature.getName())
                .filter(Objects::nonNull).forEach(names::add);
        return names.stream().map(chaos::get).toList();
    }

    private Step synchronous(Instances instances, FallbackChain fallback) {
        Step step = new Step.Invoke();
        if (!instances.chaos.isEmpty()) {
            step = new Step.ChaosStep(instances.chaos, step);
        }
        if (instances.bulkhead != null) {
            step = new Step.BulkheadStep(instances.bulkhead, step);
        }
        if (instances.timeout != null) {
            step = new Step.TimeoutStep(instances.timeout, step);
        }
        if (instances.limiter != null) {
            step = new Step.RateLimiterStep(instances.limiter, step);
        }
        if (instances.breaker != null) {
            step = new Step.CircuitBreakerStep(instances.breaker, step);
        }
        if (instances.retry != null) {
            step = new Step.RetryStep(instances.retry, timing.sleeper(), step);
        }
        if (instances.feature != null) {
            step = new Step.DegradableStep(instances.feature, step);
        }
        return fallback == null ? step : new Step.FallbackStep(fallback, step);
    }

    private AsyncStep asynchronous(Instances instances, FallbackChain fallback) {
        AsyncStep step = new AsyncStep.Invoke();
        if (!instances.chaos.isEmpty()) {
            step = new AsyncStep.ChaosStep(instances.chaos, timing.scheduler(), step);
        }
        if (instances.bulkhead != null) {
            step = new AsyncStep.BulkheadStep(instances.bulkhead, step);
        }
        if (instances.timeout != null) {
            step = new AsyncStep.TimeoutStep(instances.timeout, step);
        }
        if (instances.limiter != null) {
            step = new AsyncStep.RateLimiterStep(instances.limiter, timing.scheduler(), step);
        }
        if (instances.breaker != null) {
            step = new AsyncStep.CircuitBreakerStep(instances.breaker, step);
        }
        if (instances.retry != null) {
            step = new AsyncStep.RetryStep(instances.retry, timing.scheduler(), step);
        }
        if (instances.feature != null) {
            step = new AsyncStep.DegradableStep(instances.feature, step);
        }
        return fallback == null ? step : new AsyncStep.FallbackStep(fallback, step);
    }

    /** Whether {@code type} is a Reactive Streams publisher; checked by name so that none need be present. */
    private static boolean isPublisher(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader != null && ClassUtils.isPresent("org.reactivestreams.Publisher", loader)
                && ClassUtils.resolveClassName("org.reactivestreams.Publisher", loader).isAssignableFrom(type);
    }

    /** The instances one method uses; null where it has no such policy. */
    private record Instances(CircuitBreaker breaker, Retry retry, Bulkhead bulkhead, RateLimiter limiter,
            Timeout timeout, Feature feature, List<Chaos> chaos) {
    }
}
