package dev.resilience.aspectj;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Degradable;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Woven at compile time: a dependency whose every attempt does what its script says next (answers a string, or
 * throws a throwable), behind every policy that a synchronous method's inline form runs, and one behind a timeout
 * (which has no inline form). The same class is a proxied bean in proxy mode, so both forms run the same script.
 */
public class Dependency {

    final Queue<Object> script = new ConcurrentLinkedQueue<>();
    final AtomicInteger attempts = new AtomicInteger();
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile Runnable onAttempt = () -> { };

    @Fallback("fallback")
    @Degradable("lookups")
    @Retry("lookups")
    @CircuitBreaker("lookups")
    @RateLimiter("lookups")
    @Bulkhead("lookups")
    public String lookup(String key) throws IOException {
        return next(key);
    }

    @Retry("lookups")
    @Bulkhead("lookups")
    public String unprotected() throws IOException {
        return next("-");
    }

    @Timeout("slow")
    @Retry("slow")
    public String slow() throws InterruptedException {
        attempts.incrementAndGet();
        started.countDown();
        release.await(10, TimeUnit.SECONDS);
        return "late";
    }

    private String next(String key) throws IOException {
        attempts.incrementAndGet();
        onAttempt.run();
        Object step = script.poll();
        if (step instanceof IOException failure) {
            throw failure;
        }
        if (step instanceof RuntimeException failure) {
            throw failure;
        }
        return step + ":" + key;
    }

    private String fallback(String key, IOException failure) {
        return "fallback:" + key + ":" + failure.getMessage();
    }
}
