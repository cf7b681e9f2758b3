package dev.resilience.benchmarks;

import io.github.resilience4j.bulkhead.annotation.Bulkhead;
import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import io.github.resilience4j.retry.annotation.Retry;
import java.util.concurrent.CompletableFuture;
import org.springframework.resilience.annotation.ConcurrencyLimit;
import org.springframework.resilience.annotation.Retryable;
import reactor.core.publisher.Mono;

/**
 * The same trivial method behind every variant: it returns a field, so the call cannot be optimised away.
 * Each variant needs its own class only because the annotations differ.
 */
public final class Services {

    private Services() {
    }

    /** No annotation: called directly, and through the no-op advisor and the no-op around advice. */
    public static class Plain {
        private int value = 42;
        private final Mono<Integer> mono = Mono.just(42);

        @Measured
        public int call() {
            return value;
        }

        /** The {@code Mono} rows' floor: the proxy's hop and Reactor's own {@code block()}, no policy. */
        @Measured
        public Mono<Integer> mono() {
            return mono;
        }
    }

    /** This starter. */
    public static class Ours {
        private int value = 42;

        @dev.resilience.annotation.CircuitBreaker("bench")
        public int breaker() {
            return value;
        }

        @dev.resilience.annotation.Retry("bench")
        public int retry() {
            return value;
        }

        @dev.resilience.annotation.Bulkhead("bench")
        public int bulkhead() {
            return value;
        }

        @dev.resilience.annotation.CircuitBreaker("bench")
        @dev.resilience.annotation.Retry("bench")
        @dev.resilience.annotation.Bulkhead("bench")
        @dev.resilience.annotation.Fallback("fallback")
        public int stacked() {
            return value;
        }

        @dev.resilience.annotation.CircuitBreaker("open")
        @dev.resilience.annotation.Fallback("fallback")
        public int open() {
            return value;
        }

        int fallback() {
            return -1;
        }

        /** A limit far above any rate one thread reaches: every call takes a permit. */
        @dev.resilience.annotation.RateLimiter("bench")
        public int rateLimited() {
            return value;
        }

        /** Stores each result: one cache write per call, keyed by the argument itself. */
        @dev.resilience.annotation.LastKnownGood("bench")
        public int lastKnownGood(String sku) {
            return value;
        }

        /** Its breaker is held open, so every call is answered from the store. */
        @dev.resilience.annotation.LastKnownGood("benchStale")
        @dev.resilience.annotation.CircuitBreaker("stale")
        public int stale(String sku) {
            return value;
        }
    }

    /** This starter's {@code scope: cluster} rate limiter, on the local Redis. */
    public static class OursCluster {
        private int value = 42;

        @dev.resilience.annotation.RateLimiter("cluster")
        public int rateLimited() {
            return value;
        }
    }

    /** Resilience4j 2.4.0, spring-boot4 module. */
    public static class Resilience4j {
        private int value = 42;

        @CircuitBreaker(name = "bench")
        public int breaker() {
            return value;
        }

        @Retry(name = "bench")
        public int retry() {
            return value;
        }

        @Bulkhead(name = "bench")
        public int bulkhead() {
            return value;
        }

        @CircuitBreaker(name = "bench", fallbackMethod = "fallback")
        @Retry(name = "bench")
        @Bulkhead(name = "bench")
        public int stacked() {
            return value;
        }

        @CircuitBreaker(name = "open", fallbackMethod = "fallback")
        public int open() {
            return value;
        }

        /** Public: Resilience4j cannot call a fallback of another visibility. */
        public int fallback(Throwable failure) {
            return -1;
        }
    }

    /**
     * This starter on {@code CompletableFuture} and {@code Mono} methods. Each returns an already completed value
     * kept in a field, so that what is measured is the policies' handling of the asynchronous outcome.
     */
    public static class OursAsync {
        private final CompletableFuture<Integer> future = CompletableFuture.completedFuture(42);
        private final Mono<Integer> mono = Mono.just(42);

        @dev.resilience.annotation.CircuitBreaker("bench")
        public CompletableFuture<Integer> futureBreaker() {
            return future;
        }

        @dev.resilience.annotation.Retry("bench")
        public CompletableFuture<Integer> futureRetry() {
            return future;
        }

        @dev.resilience.annotation.Bulkhead("bench")
        public CompletableFuture<Integer> futureBulkhead() {
            return future;
        }

        @dev.resilience.annotation.CircuitBreaker("bench")
        @dev.resilience.annotation.Retry("bench")
        @dev.resilience.annotation.Bulkhead("bench")
        @dev.resilience.annotation.Fallback("futureFallback")
        public CompletableFuture<Integer> futureStacked() {
            return future;
        }

        CompletableFuture<Integer> futureFallback() {
            return CompletableFuture.completedFuture(-1);
        }

        /** The stack on a stage still running when the method returns it: the benchmark completes it after. */
        @dev.resilience.annotation.CircuitBreaker("bench")
        @dev.resilience.annotation.Retry("bench")
        @dev.resilience.annotation.Bulkhead("bench")
        @dev.resilience.annotation.Fallback("futureFallback")
        public CompletableFuture<Integer> futureStackedPending(CompletableFuture<Integer> work) {
            return work;
        }

        CompletableFuture<Integer> futureFallback(CompletableFuture<Integer> work) {
            return CompletableFuture.completedFuture(-1);
        }

        @dev.resilience.annotation.CircuitBreaker("bench")
        public Mono<Integer> monoBreaker() {
            return mono;
        }

        @dev.resilience.annotation.Retry("bench")
        public Mono<Integer> monoRetry() {
            return mono;
        }

        @dev.resilience.annotation.Bulkhead("bench")
        public Mono<Integer> monoBulkhead() {
            return mono;
        }

        @dev.resilience.annotation.CircuitBreaker("bench")
        @dev.resilience.annotation.Retry("bench")
        @dev.resilience.annotation.Bulkhead("bench")
        @dev.resilience.annotation.Fallback("monoFallback")
        public Mono<Integer> monoStacked() {
            return mono;
        }

        Mono<Integer> monoFallback() {
            return Mono.just(-1);
        }
    }

    /** Resilience4j on the same asynchronous methods (its Reactor module for {@code Mono}). */
    public static class Resilience4jAsync {
        private final CompletableFuture<Integer> future = CompletableFuture.completedFuture(42);
        private final Mono<Integer> mono = Mono.just(42);

        @CircuitBreaker(name = "bench")
        public CompletableFuture<Integer> futureBreaker() {
            return future;
        }

        @Retry(name = "bench")
        public CompletableFuture<Integer> futureRetry() {
            return future;
        }

        @Bulkhead(name = "bench")
        public CompletableFuture<Integer> futureBulkhead() {
            return future;
        }

        @CircuitBreaker(name = "bench", fallbackMethod = "futureFallback")
        @Retry(name = "bench")
        @Bulkhead(name = "bench")
        public CompletableFuture<Integer> futureStacked() {
            return future;
        }

        public CompletableFuture<Integer> futureFallback(Throwable failure) {
            return CompletableFuture.completedFuture(-1);
        }

        @CircuitBreaker(name = "bench", fallbackMethod = "pendingFallback")
        @Retry(name = "bench")
        @Bulkhead(name = "bench")
        public CompletableFuture<Integer> futureStackedPending(CompletableFuture<Integer> work) {
            return work;
        }

        public CompletableFuture<Integer> pendingFallback(CompletableFuture<Integer> work, Throwable failure) {
            return CompletableFuture.completedFuture(-1);
        }

        @CircuitBreaker(name = "bench")
        public Mono<Integer> monoBreaker() {
            return mono;
        }

        @Retry(name = "bench")
        public Mono<Integer> monoRetry() {
            return mono;
        }

        @Bulkhead(name = "bench")
        public Mono<Integer> monoBulkhead() {
            return mono;
        }

        @CircuitBreaker(name = "bench", fallbackMethod = "monoFallback")
        @Retry(name = "bench")
        @Bulkhead(name = "bench")
        public Mono<Integer> monoStacked() {
            return mono;
        }

        public Mono<Integer> monoFallback(Throwable failure) {
            return Mono.just(-1);
        }
    }

    /** Spring Framework 7's own annotations. */
    public static class SpringFramework {
        private int value = 42;

        @Retryable
        public int retryable() {
            return value;
        }

        @ConcurrencyLimit(25)
        public int concurrencyLimit() {
            return value;
        }
    }
}
