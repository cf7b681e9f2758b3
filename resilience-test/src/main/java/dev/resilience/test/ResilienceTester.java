package dev.resilience.test;

import dev.resilience.autoconfigure.probe.ResilienceProbes;
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
import dev.resilience.probe.Probe;
import dev.resilience.probe.ProbeSnapshot;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
     * Between tests: puts every dependency probe back to UNKNOWN (releasing the breakers it held), closes every
     * breaker (with an empty window), refills every rate limiter and re-enables every feature switched off. Lifetime counters (calls, retries, rejections) are not reset: a test that counts reads
     * them before and after, or uses instance names of its own.
     */
    public void reset() {
        probes().ifPresent(probes -> probes.all().forEach(Probe::reset)); // first: a probe may hold a breaker
        bean(CircuitBreakerRegistry.class).all().forEach(CircuitBreaker::transitionToClosed);
        bean(RateLimiterRegistry.class).all().forEach(limiter -> limiter.reconfigure(limiter.getConfig()));
        bean(FeatureRegistry.class).all().forEach(feature -> feature.setEnabled(true));
    }

    /**
     * Runs one check of the dependency probe {@code name} now and answers its results once decided. Under
     * {@link ResilienceTest} probes check only when a test asks (they do not check in the background as time
     * advances), so a test decides exactly how many checks run: as many as the probe's {@code failure-threshold}
     * to see it DOWN. A check that hangs is cut when the test advances time past the probe's {@code timeout}.
     *
     * @throws IllegalArgumentException if there is no probe of that name
     * @throws IllegalStateException if the check is not decided within 30 seconds of real time
     */
    public ProbeSnapshot checkProbe(String name) {
        try {
            return probe(name).runNow().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException hung) {
            throw new IllegalStateException("The check of probe '" + name + "' was not decided within 30 s; a check "
                    + "that hangs is cut when the test advances the time past the probe's timeout", hung);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking probe '" + name + "'", interrupted);
        } catch (ExecutionException failed) {
            throw new IllegalStateException("The check of probe '" + name + "' could not run", failed.getCause());
        }
    }

    /** The dependency probe {@code name}. */
    public Probe probe(String name) {
        ResilienceProbes probes = probes().orElseThrow(() -> new IllegalArgumentException(
                "No probe named '" + name + "': the application has no dependency probes"));
        return probes.find(name).orElseThrow(() -> new IllegalArgumentException("No probe named '" + name
                + "'; probes: " + probes.all().stream().map(Probe::getName).toList()));
    }

    private Optional<ResilienceProbes> probes() {
        return Optional.ofNullable(context.getBeanProvider(ResilienceProbes.class).getIfAvailable());
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
