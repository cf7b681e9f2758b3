package dev.resilience.autoconfigure.metrics;

import dev.resilience.autoconfigure.ResilienceKind;
import dev.resilience.autoconfigure.ResilienceRegistries;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.chaos.Chaos;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.circuitbreaker.CallObserver;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.lastknowngood.LastKnownGood;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryMetrics;
import dev.resilience.timeout.Timeout;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * Every meter of the contract, bound once per instance: at startup for configured instances and when any
 * other is first used. Counters read the policies' own counters when scraped; only the breaker's call timer
 * is touched on the call path, through a {@link CallObserver} bound with its three timers.
 */
public final class ResilienceMeterBinder implements MeterBinder {

    /** Each kind's meters, bound to one instance of that kind; features have none. */
    private static final Map<ResilienceKind<?, ?>, BiConsumer<MeterRegistry, Object>> METERS = Map.of(
            ResilienceKind.CIRCUIT_BREAKER, (registry, breaker) -> bindBreaker(registry, (CircuitBreaker) breaker),
            ResilienceKind.RETRY, (registry, retry) -> bindRetry(registry, (Retry) retry),
            ResilienceKind.BULKHEAD, (registry, bulkhead) -> bindBulkhead(registry, (Bulkhead) bulkhead),
            ResilienceKind.RATE_LIMITER, (registry, limiter) -> bindRateLimiter(registry, (RateLimiter) limiter),
            ResilienceKind.TIMEOUT, (registry, timeout) -> bindTimeout(registry, (Timeout) timeout));

    private final ResilienceRegistries registries;
    private final DegradationMonitor monitor;
    private final PipelineFactory pipelines;
    private final ChaosRegistry chaos;
    private final LastKnownGoodRegistry lastKnownGood;

    /** @param chaos fault injection, or {@code null} while it is disabled: then it has no meters */
    public ResilienceMeterBinder(ResilienceRegistries registries, DegradationMonitor monitor,
            PipelineFactory pipelines, ChaosRegistry chaos) {
        this(registries, monitor, pipelines, chaos, null);
    }

    /**
     * @param chaos fault injection, or {@code null} while it is disabled: then it has no meters
     * @param lastKnownGood the {@code @LastKnownGood} instances, or {@code null} where there are none
     */
    public ResilienceMeterBinder(ResilienceRegistries registries, DegradationMonitor monitor,
            PipelineFactory pipelines, ChaosRegistry chaos, LastKnownGoodRegistry lastKnownGood) {
        this.registries = registries;
        this.monitor = monitor;
        this.pipelines = pipelines;
        this.chaos = chaos;
        this.lastKnownGood = lastKnownGood;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ResilienceKind<?, ?> kind : ResilienceKind.ALL) {
            BiConsumer<MeterRegistry, Object> meters = METERS.get(kind);
            if (meters != null) {
                bind(kind, registry, meters);
            }
        }
        if (chaos != null) {
            chaos.onCreate(instance -> {
                FunctionCounter.builder("resilience.chaos.injected", instance, Chaos::getInjectedFailures)
                        .tag("name", instance.getName()).tag("kind", "failure")
                        .description("Faults injected by chaos, by kind").register(registry);
                FunctionCounter.builder("resilience.chaos.injected", instance, Chaos::getInjectedLatencies)
                        .tag("name", instance.getName()).tag("kind", "latency")
                        .description("Faults injected by chaos, by kind").register(registry);
            });
        }
        if (lastKnownGood != null) {
            lastKnownGood.onCreate(instance -> bindLastKnownGood(registry, instance));
        }
        Map<String, List<FallbackChain>> fallbacksByMethod = new ConcurrentHashMap<>();
        pipelines.onFallbackChain(chain -> bindFallback(registry, chain, fallbacksByMethod));
        Gauge.builder("resilience.degradation.level", monitor, m -> m.snapshot().level().ordinal())
                .description("The degradation level: 0 NONE, 1 MINOR, 2 MAJOR, 3 CRITICAL").register(registry);
    }

    /** Binds {@code meters} to each instance of {@code kind} as it is created (configured ones at startup). */
    private <T> void bind(ResilienceKind<T, ?> kind, MeterRegistry registry, BiConsumer<MeterRegistry, Object> meters) {
        kind.registry(registries).onCreate(instance -> meters.accept(registry, instance));
    }

    private static void bindBreaker(MeterRegistry registry, CircuitBreaker breaker) {
        String name = breaker.getName();
        for (CircuitBreakerState state : CircuitBreakerState.values()) {
            Gauge.builder("resilience.circuitbreaker.state", breaker, b -> b.getState() == state ? 1 : 0)
                    .tag("name", name).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("1 for the circuit breaker's current state, 0 for the others").register(registry);
        }
        Timer[] timers = new Timer[CallObserver.Outcome.values().length];
        for (CallObserver.Outcome outcome : CallObserver.Outcome.values()) {
            timers[outcome.ordinal()] = Timer.builder("resilience.circuitbreaker.calls").tag("name", name)
                    .tag("kind", outcome.name().toLowerCase(Locale.ROOT))
                    .description("Calls recorded by the circuit breaker, by outcome").register(registry);
        }
        // added, not set: bound to several registries (no composite), each registry's timers see every call
        breaker.addCallObserver((outcome, nanos) -> timers[outcome.ordinal()].record(nanos, TimeUnit.NANOSECONDS));
        FunctionCounter.builder("resilience.circuitbreaker.not.permitted.calls", breaker,
                CircuitBreaker::getNotPermittedCalls).tag("name", name)
                .description("Calls rejected because the circuit breaker was open").register(registry);
        Gauge.builder("resilience.circuitbreaker.failure.rate", breaker, b -> b.getMetrics().failureRate())
                .tag("name", name).baseUnit("percent")
                .description("Failure rate of the window in percent, -1 before minimum-number-of-calls")
                .register(registry);
        Gauge.builder("resilience.circuitbreaker.slow.call.rate", breaker, b -> b.getMetrics().slowCallRate())
                .tag("name", name).baseUnit("percent")
                .description("Slow-call rate of the window in percent, -1 before minimum-number-of-calls")
                .register(registry);
        breakerGauge(registry, breaker, "resilience.circuitbreaker.buffered.calls", "successful",
                CircuitBreakerMetrics::successfulCalls, "Calls in the circuit breaker's window, by outcome");
        breakerGauge(registry, breaker, "resilience.circuitbreaker.buffered.calls", "failed",
                CircuitBreakerMetrics::failedCalls, "Calls in the circuit breaker's window, by outcome");
        breakerGauge(registry, breaker, "resilience.circuitbreaker.slow.calls", "successful",
                CircuitBreakerMetrics::slowSuccessfulCalls,
                "Slow calls in the circuit breaker's window (at least slow-call-duration-threshold), by outcome");
        breakerGauge(registry, breaker, "resilience.circuitbreaker.slow.calls", "failed",
                CircuitBreakerMetrics::slowFailedCalls,
                "Slow calls in the circuit breaker's window (at least slow-call-duration-threshold), by outcome");
    }

    private static void breakerGauge(MeterRegistry registry, CircuitBreaker breaker, String meter, String kind,
            ToIntFunction<CircuitBreakerMetrics> figure, String description) {
        Gauge.builder(meter, breaker, b -> figure.applyAsInt(b.getMetrics())).tag("name", breaker.getName())
                .tag("kind", kind).description(description).register(registry);
    }

    private static void bindRetry(MeterRegistry registry, Retry retry) {
        retryCounter(registry, retry, "successful_without_retry", RetryMetrics::successfulWithoutRetry);
        retryCounter(registry, retry, "successful_with_retry", RetryMetrics::successfulWithRetry);
        retryCounter(registry, retry, "failed_with_retry", RetryMetrics::failedWithRetry);
        retryCounter(registry, retry, "failed_without_retry", RetryMetrics::failedWithoutRetry);
        FunctionCounter.builder("resilience.retry.attempts", retry, r -> r.getMetrics().retryAttempts())
                .tag("name", retry.getName()).description("Retries made (first attempts not counted)")
                .register(registry);
        FunctionCounter.builder("resilience.retry.budget.exhausted", retry, Retry::getBudgetExhaustedCalls)
                .tag("name", retry.getName()).description("Failed calls not retried because the retry budget was spent")
                .register(registry);
    }

    private static void retryCounter(MeterRegistry registry, Retry retry, String kind,
            ToDoubleFunction<RetryMetrics> count) {
        FunctionCounter.builder("resilience.retry.calls", retry, r -> count.applyAsDouble(r.getMetrics()))
                .tag("name", retry.getName()).tag("kind", kind)
                .description("Calls through the retry, by how they ended").register(registry);
    }

    private static void bindBulkhead(MeterRegistry registry, Bulkhead bulkhead) {
        String name = bulkhead.getName();
        Gauge.builder("resilience.bulkhead.available.concurrent.calls", bulkhead,
                Bulkhead::getAvailableConcurrentCalls).tag("name", name)
                .description("Free slots of the bulkhead").register(registry);
        Gauge.builder("resilience.bulkhead.max.allowed.concurrent.calls", bulkhead,
                b -> b.getConfig().maxConcurrentCalls()).tag("name", name)
                .description("The bulkhead's limit of concurrent calls").register(registry);
        FunctionCounter.builder("resilience.bulkhead.rejected.calls", bulkhead, Bulkhead::getRejectedCalls)
                .tag("name", name).description("Calls rejected because the bulkhead was full").register(registry);
    }

    private static void bindRateLimiter(MeterRegistry registry, RateLimiter limiter) {
        Gauge.builder("resilience.ratelimiter.available.permissions", limiter, RateLimiter::getAvailablePermissions)
                .tag("name", limiter.getName())
                .description("Permits left in the current period; negative while calls wait for later periods")
                .register(registry);
        FunctionCounter.builder("resilience.ratelimiter.rejected.calls", limiter, RateLimiter::getRejectedCalls)
                .tag("name", limiter.getName()).description("Calls rejected for want of a permit")
                .register(registry);
        // Wherever a store is set up, not only for limiters cluster-scoped now: one switched to scope: cluster at
        // runtime (a configuration write) has its gauge from the start. A local limiter reads 1.
        if (limiter.getConfig().scope() == RateLimiterConfig.Scope.CLUSTER || limiter.hasBackend()) {
            Gauge.builder("resilience.ratelimiter.backend.available", limiter, l -> l.isBackendAvailable() ? 1 : 0)
                    .tag("name", limiter.getName())
                    .description("1 while the limiter reaches its shared store (or is local), else 0")
                    .register(registry);
        }
    }

    private static void bindTimeout(MeterRegistry registry, Timeout timeout) {
        timeoutCounter(registry, timeout, "successful", Timeout::getSuccessfulCalls);
        timeoutCounter(registry, timeout, "failed", Timeout::getFailedCalls);
        timeoutCounter(registry, timeout, "timeout", Timeout::getTimedOutCalls);
    }

    private static void timeoutCounter(MeterRegistry registry, Timeout timeout, String kind,
            ToDoubleFunction<Timeout> count) {
        FunctionCounter.builder("resilience.timeout.calls", timeout, count).tag("name", timeout.getName())
                .tag("kind", kind).description("Calls under the timeout, by how they ended").register(registry);
    }

    private static void bindLastKnownGood(MeterRegistry registry, LastKnownGood instance) {
        lastKnownGoodCounter(registry, instance, "stored", LastKnownGood::getStoredCalls);
        lastKnownGoodCounter(registry, instance, "served", LastKnownGood::getServedCalls);
        lastKnownGoodCounter(registry, instance, "miss", LastKnownGood::getMissedCalls);
        lastKnownGoodCounter(registry, instance, "too_old", LastKnownGood::getTooOldCalls);
        Timer age = Timer.builder("resilience.lastknowngood.age").tag("name", instance.getName())
                .description("Age of the stored answers served for failed calls").register(registry);
        instance.setServedAgeListener(age::record);
    }

    private static void lastKnownGoodCounter(MeterRegistry registry, LastKnownGood instance, String kind,
            ToDoubleFunction<LastKnownGood> count) {
        FunctionCounter.builder("resilience.lastknowngood.calls", instance, count).tag("name", instance.getName())
                .tag("kind", kind).description("Good results stored, and failed calls answered from the store "
                        + "(served) or not (miss: nothing stored, too_old: older than max-staleness)")
                .register(registry);
    }

    /** Overloads share one tag value, so their counts are summed under it. */
    private static void bindFallback(MeterRegistry registry, FallbackChain chain,
            Map<String, List<FallbackChain>> byMethod) {
        String method = chain.getGuardedMethod();
        boolean[] first = new boolean[1];
        List<FallbackChain> chains = byMethod.computeIfAbsent(method, key -> {
            first[0] = true;
            return new CopyOnWriteArrayList<>();
        });
        chains.add(chain);
        if (!first[0]) {
            return;
        }
        FunctionCounter.builder("resilience.fallback.calls", chains,
                all -> all.stream().mapToLong(FallbackChain::getSuccessfulCalls).sum()).tag("method", method)
                .tag("kind", "successful").description("Fallback calls, by outcome").register(registry);
        FunctionCounter.builder("resilience.fallback.calls", chains,
                all -> all.stream().mapToLong(FallbackChain::getFailedCalls).sum()).tag("method", method)
                .tag("kind", "failed").description("Fallback calls, by outcome").register(registry);
    }
}
