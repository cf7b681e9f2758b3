package dev.resilience.benchmarks;

import dev.resilience.benchmarks.woven.WovenPlain;
import dev.resilience.benchmarks.woven.WovenServices;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.guard.Guard;
import dev.resilience.guard.Resilience;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cost of one call of a trivial method on a Spring bean, per variant. Each state starts its Spring
 * application once per trial; only the states a benchmark uses are started.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResilienceBenchmark {

    /** A started application and its bean. */
    abstract static class App<T> {
        ConfigurableApplicationContext context;
        T bean;

        abstract Class<?> configuration();

        abstract Class<T> beanType();

        String[] properties() {
            return new String[0];
        }

        @Setup(Level.Trial)
        public void start() {
            context = Apps.start(configuration(), properties());
            bean = context.getBean(beanType());
            prepare();
        }

        void prepare() {
        }

        @TearDown(Level.Trial)
        public void stop() {
            context.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Direct {
        final Services.Plain bean = new Services.Plain();
    }

    @State(Scope.Benchmark)
    public static class NoOpInterceptor extends App<Services.Plain> {
        @Override
        Class<?> configuration() {
            return Apps.NoOpInterceptor.class;
        }

        @Override
        Class<Services.Plain> beanType() {
            return Services.Plain.class;
        }
    }

    /** The floor plus exactly a per-call timer: two clock reads and one {@code Timer.record}. */
    @State(Scope.Benchmark)
    public static class TimedInterceptor extends App<Services.Plain> {
        @Override
        Class<?> configuration() {
            return Apps.TimedInterceptor.class;
        }

        @Override
        Class<Services.Plain> beanType() {
            return Services.Plain.class;
        }
    }

    @State(Scope.Benchmark)
    public static class NoOpAround extends App<Services.Plain> {
        @Override
        Class<?> configuration() {
            return Apps.NoOpAround.class;
        }

        @Override
        Class<Services.Plain> beanType() {
            return Services.Plain.class;
        }
    }

    @State(Scope.Benchmark)
    public static class Ours extends App<Services.Ours> {
        @Override
        Class<?> configuration() {
            return Apps.Ours.class;
        }

        @Override
        Class<Services.Ours> beanType() {
            return Services.Ours.class;
        }

        static final String SKU = "apple";

        @Override
        void prepare() {
            context.getBean(CircuitBreakerRegistry.class).get("open").transitionToForcedOpen();
            bean.stale(SKU); // stored while its breaker is closed, then served while it is held open
            context.getBean(CircuitBreakerRegistry.class).get("stale").transitionToForcedOpen();
        }
    }

    /** {@link Ours} with the observation auto-configuration and a no-op observation registry. */
    @State(Scope.Benchmark)
    public static class OursObservationOff extends Ours {
        @Override
        Class<?> configuration() {
            return Apps.OursObservationOff.class;
        }
    }

    /** {@link Ours} with a real observation registry (a meter handler): every call observed. */
    @State(Scope.Benchmark)
    public static class OursObservationOn extends Ours {
        @Override
        Class<?> configuration() {
            return Apps.OursObservationOn.class;
        }
    }

    /** The same instances guarded in code: guards built once, a call made through a prebuilt supplier. */
    @State(Scope.Benchmark)
    public static class OursGuards extends Ours {
        final Services.Plain target = new Services.Plain();
        final Supplier<Integer> call = target::call;
        Guard breaker;
        Guard retry;
        Guard bulkhead;
        Guard stacked;

        @Override
        void prepare() {
            super.prepare();
            Resilience resilience = context.getBean(Resilience.class);
            breaker = resilience.guard("bench").withCircuitBreaker();
            retry = resilience.guard("bench").withRetry();
            bulkhead = resilience.guard("bench").withBulkhead();
            stacked = resilience.guard("bench").withCircuitBreaker().withRetry().withBulkhead()
                    .withFallback(failure -> -1);
        }
    }

    @State(Scope.Benchmark)
    public static class OursWithMetrics extends Ours {
        @Override
        Class<?> configuration() {
            return Apps.OursWithMetrics.class;
        }
    }

    @State(Scope.Benchmark)
    public static class Resilience4j extends App<Services.Resilience4j> {
        @Override
        Class<?> configuration() {
            return Apps.Resilience4j.class;
        }

        @Override
        Class<Services.Resilience4j> beanType() {
            return Services.Resilience4j.class;
        }

        @Override
        void prepare() {
            context.getBean(io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry.class).circuitBreaker("open")
                    .transitionToForcedOpenState();
        }
    }

    /** AspectJ mode: a compile-time woven object, no proxy. */
    /** Fails the trial unless Redis answers: a fallen-back limiter would measure the local share instead. */
    @State(Scope.Benchmark)
    public static class OursCluster extends App<Services.OursCluster> {
        @Override
        Class<?> configuration() {
            return Apps.OursCluster.class;
        }

        @Override
        Class<Services.OursCluster> beanType() {
            return Services.OursCluster.class;
        }

        @Override
        String[] properties() {
            return Apps.OursCluster.PROPERTIES;
        }

        @Override
        void prepare() {
            bean.rateLimited();
            if (!context.getBean(RateLimiterRegistry.class).get("cluster").isBackendAvailable()) {
                throw new IllegalStateException("oursRateLimiterCluster needs Redis on 127.0.0.1:6379");
            }
        }
    }

    @State(Scope.Benchmark)
    public static class OursAspectJ extends App<WovenServices> {
        @Override
        Class<?> configuration() {
            return Apps.OursAspectJ.class;
        }

        @Override
        Class<WovenServices> beanType() {
            return WovenServices.class;
        }

        @Override
        String[] properties() {
            return new String[] {"resilience.aop.mode=aspectj"};
        }

        @Override
        void prepare() {
            context.getBean(CircuitBreakerRegistry.class).get("open").transitionToForcedOpen();
        }
    }

    /** The AspectJ floor: a plain object woven with a no-op around advice. */
    @State(Scope.Benchmark)
    public static class NoOpWoven {
        final WovenPlain bean = new WovenPlain();
    }

    @State(Scope.Benchmark)
    public static class OursAsync extends App<Services.OursAsync> {
        @Override
        Class<?> configuration() {
            return Apps.OursAsync.class;
        }

        @Override
        Class<Services.OursAsync> beanType() {
            return Services.OursAsync.class;
        }
    }

    @State(Scope.Benchmark)
    public static class Resilience4jAsync extends App<Services.Resilience4jAsync> {
        @Override
        Class<?> configuration() {
            return Apps.Resilience4jAsync.class;
        }

        @Override
        Class<Services.Resilience4jAsync> beanType() {
            return Services.Resilience4jAsync.class;
        }
    }

    @State(Scope.Benchmark)
    public static class SpringFramework extends App<Services.SpringFramework> {
        @Override
        Class<?> configuration() {
            return Apps.SpringFramework.class;
        }

        @Override
        Class<Services.SpringFramework> beanType() {
            return Services.SpringFramework.class;
        }
    }

    @Benchmark
    public int direct(Direct app) {
        return app.bean.call();
    }

    @Benchmark
    public int floorNoOpInterceptor(NoOpInterceptor app) {
        return app.bean.call();
    }

    /** What every {@code Mono} row pays before any policy: the floor's proxy and Reactor's {@code block()}. */
    @Benchmark
    public Integer floorMono(NoOpInterceptor app) {
        return app.bean.mono().block();
    }

    /** The baseline of {@code oursCircuitBreakerMetricsOn}: what any per-call timer costs over the floor. */
    @Benchmark
    public int floorTimedInterceptor(TimedInterceptor app) {
        return app.bean.call();
    }

    @Benchmark
    public int noOpAround(NoOpAround app) {
        return app.bean.call();
    }

    @Benchmark
    public int oursCircuitBreaker(Ours app) {
        return app.bean.breaker();
    }

    @Benchmark
    public int oursRetry(Ours app) {
        return app.bean.retry();
    }

    @Benchmark
    public int oursBulkhead(Ours app) {
        return app.bean.bulkhead();
    }

    @Benchmark
    public int oursStacked(Ours app) {
        return app.bean.stacked();
    }

    @Benchmark
    public int oursOpenWithFallback(Ours app) {
        return app.bean.open();
    }

    /** A local rate limiter's permit (CAS on one long). */
    @Benchmark
    public int oursRateLimiter(Ours app) {
        return app.bean.rateLimited();
    }

    /** A {@code scope: cluster} rate limiter's permit: one Redis round trip through Bucket4j on 127.0.0.1. */
    @Benchmark
    public int oursRateLimiterCluster(OursCluster app) {
        return app.bean.rateLimited();
    }

    /** The success path of {@code @LastKnownGood} on the default in-memory cache: each result is stored. */
    @Benchmark
    public int oursLastKnownGood(Ours app) {
        return app.bean.lastKnownGood(Ours.SKU);
    }

    /** The stale path: an open breaker's rejection answered from the store. */
    @Benchmark
    public int oursLastKnownGoodStale(Ours app) {
        return app.bean.stale(Ours.SKU);
    }

    @Benchmark
    public int guardCircuitBreaker(OursGuards app) {
        return app.breaker.get(app.call);
    }

    @Benchmark
    public int guardRetry(OursGuards app) {
        return app.retry.get(app.call);
    }

    @Benchmark
    public int guardBulkhead(OursGuards app) {
        return app.bulkhead.get(app.call);
    }

    @Benchmark
    public int guardStacked(OursGuards app) {
        return app.stacked.get(app.call);
    }

    @Benchmark
    public int oursCircuitBreakerObservationOff(OursObservationOff app) {
        return app.bean.breaker();
    }

    @Benchmark
    public int oursStackedObservationOff(OursObservationOff app) {
        return app.bean.stacked();
    }

    @Benchmark
    public int oursOpenWithFallbackObservationOff(OursObservationOff app) {
        return app.bean.open();
    }

    @Benchmark
    public int oursCircuitBreakerObservationOn(OursObservationOn app) {
        return app.bean.breaker();
    }

    @Benchmark
    public int oursStackedObservationOn(OursObservationOn app) {
        return app.bean.stacked();
    }

    @Benchmark
    public int oursOpenWithFallbackObservationOn(OursObservationOn app) {
        return app.bean.open();
    }

    @Benchmark
    public int oursCircuitBreakerMetricsOn(OursWithMetrics app) {
        return app.bean.breaker();
    }

    @Benchmark
    public int oursRetryMetricsOn(OursWithMetrics app) {
        return app.bean.retry();
    }

    @Benchmark
    public int oursBulkheadMetricsOn(OursWithMetrics app) {
        return app.bean.bulkhead();
    }

    @Benchmark
    public int oursOpenWithFallbackMetricsOn(OursWithMetrics app) {
        return app.bean.open();
    }

    @Benchmark
    public int oursStackedMetricsOn(OursWithMetrics app) {
        return app.bean.stacked();
    }

    @Benchmark
    public int r4jCircuitBreaker(Resilience4j app) {
        return app.bean.breaker();
    }

    @Benchmark
    public int r4jRetry(Resilience4j app) {
        return app.bean.retry();
    }

    @Benchmark
    public int r4jBulkhead(Resilience4j app) {
        return app.bean.bulkhead();
    }

    @Benchmark
    public int r4jStacked(Resilience4j app) {
        return app.bean.stacked();
    }

    @Benchmark
    public int r4jOpenWithFallback(Resilience4j app) {
        return app.bean.open();
    }

    @Benchmark
    public int springRetryable(SpringFramework app) {
        return app.bean.retryable();
    }

    @Benchmark
    public int springConcurrencyLimit(SpringFramework app) {
        return app.bean.concurrencyLimit();
    }

    /** AspectJ's own per-call cost: a woven no-op around advice, to set beside the proxy floor. */
    @Benchmark
    public int aspectjNoOpAround(NoOpWoven app) {
        return app.bean.call();
    }

    @Benchmark
    public int aspectjCircuitBreaker(OursAspectJ app) {
        return app.bean.breaker();
    }

    @Benchmark
    public int aspectjRetry(OursAspectJ app) {
        return app.bean.retry();
    }

    @Benchmark
    public int aspectjBulkhead(OursAspectJ app) {
        return app.bean.bulkhead();
    }

    @Benchmark
    public int aspectjStacked(OursAspectJ app) {
        return app.bean.stacked();
    }

    @Benchmark
    public int aspectjOpenWithFallback(OursAspectJ app) {
        return app.bean.open();
    }

    @Benchmark
    public Integer oursFutureCircuitBreaker(OursAsync app) {
        return app.bean.futureBreaker().join();
    }

    @Benchmark
    public Integer oursMonoCircuitBreaker(OursAsync app) {
        return app.bean.monoBreaker().block();
    }

    @Benchmark
    public Integer r4jFutureCircuitBreaker(Resilience4jAsync app) {
        return app.bean.futureBreaker().join();
    }

    @Benchmark
    public Integer r4jMonoCircuitBreaker(Resilience4jAsync app) {
        return app.bean.monoBreaker().block();
    }

    @Benchmark
    public Integer oursFutureRetry(OursAsync app) {
        return app.bean.futureRetry().join();
    }

    @Benchmark
    public Integer oursMonoRetry(OursAsync app) {
        return app.bean.monoRetry().block();
    }

    @Benchmark
    public Integer r4jFutureRetry(Resilience4jAsync app) {
        return app.bean.futureRetry().join();
    }

    @Benchmark
    public Integer r4jMonoRetry(Resilience4jAsync app) {
        return app.bean.monoRetry().block();
    }

    @Benchmark
    public Integer oursFutureBulkhead(OursAsync app) {
        return app.bean.futureBulkhead().join();
    }

    @Benchmark
    public Integer oursMonoBulkhead(OursAsync app) {
        return app.bean.monoBulkhead().block();
    }

    @Benchmark
    public Integer r4jFutureBulkhead(Resilience4jAsync app) {
        return app.bean.futureBulkhead().join();
    }

    @Benchmark
    public Integer r4jMonoBulkhead(Resilience4jAsync app) {
        return app.bean.monoBulkhead().block();
    }

    @Benchmark
    public Integer oursFutureStacked(OursAsync app) {
        return app.bean.futureStacked().join();
    }

    @Benchmark
    public Integer oursMonoStacked(OursAsync app) {
        return app.bean.monoStacked().block();
    }

    @Benchmark
    public Integer r4jFutureStacked(Resilience4jAsync app) {
        return app.bean.futureStacked().join();
    }

    @Benchmark
    public Integer oursFutureStackedPending(OursAsync app) {
        CompletableFuture<Integer> work = new CompletableFuture<>();
        CompletableFuture<Integer> answer = app.bean.futureStackedPending(work);
        work.complete(42);
        return answer.join();
    }

    @Benchmark
    public Integer r4jFutureStackedPending(Resilience4jAsync app) {
        CompletableFuture<Integer> work = new CompletableFuture<>();
        CompletableFuture<Integer> answer = app.bean.futureStackedPending(work);
        work.complete(42);
        return answer.join();
    }

    @Benchmark
    public Integer r4jMonoStacked(Resilience4jAsync app) {
        return app.bean.monoStacked().block();
    }
}
