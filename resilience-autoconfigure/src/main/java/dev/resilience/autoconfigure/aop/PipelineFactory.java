package dev.resilience.autoconfigure.aop;

import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.Timing;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.fallback.FallbackResolver;
import dev.resilience.retry.RetryRegistry;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Timing timing;
    private final Map<MethodClassKey, Pipeline> pipelines = new ConcurrentHashMap<>();

    public PipelineFactory(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries, BulkheadRegistry bulkheads,
            Timing timing) {
        this.circuitBreakers = circuitBreakers;
        this.retries = retries;
        this.bulkheads = bulkheads;
        this.timing = timing;
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
        Class<?> returnType = guarded.method().getReturnType();
        if (returnType == CompletionStage.class || returnType == CompletableFuture.class) {
            return new Pipeline.Asynchronous(asynchronous(guarded, fallback));
        }
        return new Pipeline.Synchronous(synchronous(guarded, fallback));
    }

    private Step synchronous(GuardedMethod guarded, FallbackChain fallback) {
        Step step = new Step.Invoke();
        if (guarded.bulkhead() != null) {
            step = new Step.BulkheadStep(bulkheads.get(guarded.instanceName(guarded.bulkhead(),
                    guarded.bulkhead().value(), guarded.bulkhead().name())), step);
        }
        if (guarded.circuitBreaker() != null) {
            step = new Step.CircuitBreakerStep(circuitBreakers.get(guarded.instanceName(guarded.circuitBreaker(),
                    guarded.circuitBreaker().value(), guarded.circuitBreaker().name())), step);
        }
        if (guarded.retry() != null) {
            step = new Step.RetryStep(retries.get(guarded.instanceName(guarded.retry(), guarded.retry().value(),
                    guarded.retry().name())), timing.sleeper(), step);
        }
        if (fallback != null) {
            step = new Step.FallbackStep(fallback, step);
        }
        return step;
    }

    private AsyncStep asynchronous(GuardedMethod guarded, FallbackChain fallback) {
        AsyncStep step = new AsyncStep.Invoke();
        if (guarded.bulkhead() != null) {
            step = new AsyncStep.BulkheadStep(bulkheads.get(guarded.instanceName(guarded.bulkhead(),
                    guarded.bulkhead().value(), guarded.bulkhead().name())), step);
        }
        if (guarded.circuitBreaker() != null) {
            step = new AsyncStep.CircuitBreakerStep(circuitBreakers.get(guarded.instanceName(guarded.circuitBreaker(),
                    guarded.circuitBreaker().value(), guarded.circuitBreaker().name())), step);
        }
        if (guarded.retry() != null) {
            step = new AsyncStep.RetryStep(retries.get(guarded.instanceName(guarded.retry(), guarded.retry().value(),
                    guarded.retry().name())), timing.scheduler(), step);
        }
        if (fallback != null) {
            step = new AsyncStep.FallbackStep(fallback, step);
        }
        return step;
    }

    /** Fails startup rather than silently ignoring a policy this version does not enforce yet. */
    private static void rejectUnsupported(GuardedMethod guarded) {
        String unsupported = guarded.rateLimiter() != null ? "@RateLimiter"
                : guarded.timeout() != null ? "@Timeout" : guarded.degradable() != null ? "@Degradable" : null;
        if (unsupported != null) {
            throw new IllegalStateException(unsupported + " on " + guarded.describe()
                    + " is not supported by this version of resilience-spring-boot-starter yet");
        }
    }
}
