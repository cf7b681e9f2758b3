package dev.resilience.autoconfigure.aop;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.Timing;
import dev.resilience.degradation.Feature;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.fallback.FallbackResolver;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryRegistry;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.core.MethodClassKey;

/**
 * Builds the pipeline of each guarded method once, in the contract's fixed order (outermost first):
 * Fallback, Degradable, Retry, CircuitBreaker, RateLimiter, Timeout, Bulkhead, method. Instances are looked
 * up by name here, never per call.
 */
public final class PipelineFactory {

    private final CircuitBreakerRegistry circuitBreakers;
    private final RetryRegistry retries;
    private final BulkheadRegistry bulkheads;
    private final FeatureRegistry features;
    private final Timing timing;
    private final Map<MethodClassKey, Pipeline> pipelines = new ConcurrentHashMap<>();
    private final List<FallbackChain> fallbackChains = new CopyOnWriteArrayList<>();
    private final List<Consumer<FallbackChain>> fallbackListeners = new CopyOnWriteArrayList<>();

    public PipelineFactory(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries, BulkheadRegistry bulkheads,
            FeatureRegistry features, Timing timing) {
        this.circuitBreakers = circuitBreakers;
        this.retries = retries;
        this.bulkheads = bulkheads;
        this.features = features;
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
        rejectUnsupported(guarded);
        FallbackChain fallback = guarded.fallback() == null ? null : FallbackResolver.resolve(targetClass,
                guarded.method(), guarded.fallbackMethods(), List.of(guarded.fallback().applyOn()),
                List.of(guarded.fallback().skipOn()));
        if (fallback != null) {
            fallbackChains.add(fallback);
            fallbackListeners.forEach(listener -> listener.accept(fallback));
        }
        Instances instances = instances(guarded);
        Class<?> returnType = guarded.method().getReturnType();
        if (returnType == CompletionStage.class || returnType == CompletableFuture.class) {
            return new Pipeline.Asynchronous(asynchronous(instances, fallback));
        }
        return new Pipeline.Synchronous(synchronous(instances, fallback));
    }

    private Instances instances(GuardedMethod guarded) {
        CircuitBreaker breaker = guarded.circuitBreaker() == null ? null : circuitBreakers.get(
                guarded.instanceName(guarded.circuitBreaker(), guarded.circuitBreaker().value(),
                        guarded.circuitBreaker().name()));
        Retry retry = guarded.retry() == null ? null : retries.get(guarded.instanceName(guarded.retry(),
                guarded.retry().value(), guarded.retry().name()));
        Bulkhead bulkhead = guarded.bulkhead() == null ? null : bulkheads.get(guarded.instanceName(
                guarded.bulkhead(), guarded.bulkhead().value(), guarded.bulkhead().name()));
        Feature feature = guarded.degradable() == null ? null : features.get(guarded.instanceName(
                guarded.degradable(), guarded.degradable().value(), guarded.degradable().name()));
        return new Instances(breaker, retry, bulkhead, feature);
    }

    private Step synchronous(Instances instances, FallbackChain fallback) {
        Step step = new Step.Invoke();
        if (instances.bulkhead != null) {
            step = new Step.BulkheadStep(instances.bulkhead, step);
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
        if (instances.bulkhead != null) {
            step = new AsyncStep.BulkheadStep(instances.bulkhead, step);
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

    /** The instances one method uses; null where it has no such policy. */
    private record Instances(CircuitBreaker breaker, Retry retry, Bulkhead bulkhead, Feature feature) {
    }

    /** Fails startup rather than silently ignoring a policy this version does not enforce yet. */
    private static void rejectUnsupported(GuardedMethod guarded) {
        String unsupported = guarded.rateLimiter() != null ? "@RateLimiter"
                : guarded.timeout() != null ? "@Timeout" : null;
        if (unsupported != null) {
            throw new IllegalStateException(unsupported + " on " + guarded.describe()
                    + " is not supported by this version of resilience-spring-boot-starter yet");
        }
    }
}
