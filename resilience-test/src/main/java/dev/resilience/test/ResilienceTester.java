package dev.resilience.test;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.FakeTime;
import dev.resilience.degradation.Feature;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutRegistry;
import java.time.Duration;
import java.util.Objects;
import org.springframework.context.ApplicationContext;

/**
 * Drives the starter from an application's tests: moves time, puts a breaker into any state, and resets the
 * instances between tests. The instances it hands out are the application's own (the ones its annotations and
 * guards use), so their figures ({@code getMetrics()}, {@code getRejectedCalls()}, ...) are what the test asserts
 * on, directly or through {@link ResilienceAssertions}.
 */
public final class ResilienceTester {

    private final FakeTime time;
    private final ApplicationContext context;

    ResilienceTester(FakeTime time, ApplicationContext context) {
        this.time = Objects.requireNonNull(time, "time");
        this.context = Objects.requireNonNull(context, "context");
    }

    /** The fake time the starter runs on. */
    public FakeTime time() {
        return time;
    }

    /**
     * Moves time forward: waits that end by then end (a breaker's wait in OPEN, a scheduled retry, a timeout's
     * deadline, a bulkhead waiter's deadline), in order, on the calling thread.
     */
    public void advance(Duration duration) {
        time.advance(duration);
    }

    /**
     * Puts the breaker named {@code name} into {@code state}: OPEN starts its wait in OPEN now (advance time by
     * {@code wait-duration-in-open-state} to see it turn HALF_OPEN), HALF_OPEN admits its trial calls, CLOSED
     * starts an empty window. Listeners, events and the degradation level see the transition as they would a real
     * one.
     */
    public CircuitBreaker transition(String name, CircuitBreakerState state) {
        CircuitBreaker breaker = circuitBreaker(name);
        switch (state) {
            case CLOSED -> breaker.transitionToClosed();
            case OPEN -> breaker.transitionToOpen();
            case HALF_OPEN -> breaker.transitionToHalfOpen();
            case FORCED_OPEN -> breaker.transitionToForcedOpen();
            case DISABLED -> breaker.transitionToDisabled();
        }
        return breaker;
    }

    /**
     * Between tests: closes every breaker (with an empty window), refills every rate limiter and re-enables every
     * feature switched off. Lifetime counters (calls, retries, rejections) are not reset: a test that counts reads
     * them before and after, or uses instance names of its own.
     */
    public void reset() {
        bean(CircuitBreakerRegistry.class).all().forEach(CircuitBreaker::transitionToClosed);
        bean(RateLimiterRegistry.class).all().forEach(limiter -> limiter.reconfigure(limiter.getConfig()));
        bean(FeatureRegistry.class).all().forEach(feature -> feature.setEnabled(true));
    }

    public CircuitBreaker circuitBreaker(String name) {
        return bean(CircuitBreakerRegistry.class).get(name);
    }

    public Retry retry(String name) {
        return bean(RetryRegistry.class).get(name);
    }

    public Bulkhead bulkhead(String name) {
        return bean(BulkheadRegistry.class).get(name);
    }

    public RateLimiter rateLimiter(String name) {
        return bean(RateLimiterRegistry.class).get(name);
    }

    public Timeout timeout(String name) {
        return bean(TimeoutRegistry.class).get(name);
    }

    public Feature feature(String name) {
        return bean(FeatureRegistry.class).get(name);
    }

    private <T> T bean(Class<T> type) {
        return context.getBean(type);
    }
}
