package dev.resilience.virtual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Timing;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every policy works from virtual threads, and waiting (for a bulkhead slot, a rate-limiter permit, a retry's
 * backoff) parks the virtual thread instead of holding its carrier: with far more waiting virtual threads than
 * carriers, everything still completes. Runs on JDK 21+ (CI's JDK 25 pass); skipped on older JDKs.
 */
class VirtualThreadsTest {

    private ExecutorService virtualThreads;

    @BeforeEach
    void virtualThreadsOnly() throws ReflectiveOperationException {
        assumeTrue(Runtime.version().feature() >= 21,
                "virtual threads need JDK 21 or later; this JVM is " + Runtime.version());
        virtualThreads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    @AfterEach
    void stop() {
        if (virtualThreads != null) {
            virtualThreads.shutdownNow();
        }
    }

    @Test
    void bulkheadWaitersParkInsteadOfHoldingCarriers() throws InterruptedException {
        Bulkhead bulkhead = new Bulkhead("vt", new BulkheadConfig(2, Duration.ofMinutes(1)), Timing.system());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        int calls = 2_000;
        CountDownLatch done = new CountDownLatch(calls);

        for (int i = 0; i < calls; i++) {
            virtualThreads.submit(() -> {
                bulkhead.call(() -> {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.sleep(0, 100_000);
                    inside.decrementAndGet();
                    return null;
                });
                done.countDown();
                return null;
            });
        }

        assertThat(done.await(60, TimeUnit.SECONDS)).as("all calls completed").isTrue();
        assertThat(mostInside.get()).isBetween(1, 2);
        assertThat(bulkhead.getRejectedCalls()).isZero();
    }

    @Test
    void breakerRetryAndRateLimiterWorkFromVirtualThreads() throws InterruptedException {
        Timing timing = Timing.system();
        // All first attempts fail at once by design; the breaker counts them as successes so that it stays closed.
        CircuitBreaker breaker = new CircuitBreaker("vt", CircuitBreakerConfig.builder()
                .recordExceptions(List.of(IllegalStateException.class)).build(), timing);
        Retry retry = new Retry("vt", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(1)).build(),
                timing);
        RateLimiter limiter = new RateLimiter("vt", new RateLimiterConfig(200, Duration.ofMillis(10),
                Duration.ofMinutes(1)), timing);
        int calls = 1_000;
        CountDownLatch done = new CountDownLatch(calls);
        List<Throwable> failures = new CopyOnWriteArrayList<>();

        for (int i = 0; i < calls; i++) {
            virtualThreads.submit(() -> {
                try {
                    call(breaker, retry, limiter);
                    done.countDown();
                } catch (Exception ex) {
                    failures.add(ex);
                }
            });
        }

        assertThat(done.await(60, TimeUnit.SECONDS)).as("all calls succeeded; failures: %s", failures).isTrue();
        assertThat(retry.getMetrics().successfulWithRetry()).isEqualTo(calls);
        assertThat(limiter.getRejectedCalls()).isZero();
    }

    private static void call(CircuitBreaker breaker, Retry retry, RateLimiter limiter) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        retry.call(() -> limiter.call(() -> breaker.call(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("each call's first attempt fails");
            }
            return "ok";
        })));
    }
}
