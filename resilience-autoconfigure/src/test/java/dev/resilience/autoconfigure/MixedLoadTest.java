package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Timeout;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * 10,000 asynchronous calls through a breaker, a rate limiter, a timeout and a bulkhead, from four threads while a
 * fifth moves time: they succeed, fail, hang, finish late or are cancelled by their callers, and many wait for a
 * slot or a permit past their deadline. Afterwards every slot and permit is back: nothing that was given up keeps
 * what it held. With {@code cancel-running-future: false} the hung calls are finished late by the test, since
 * their slots are rightly held until then.
 */
class MixedLoadTest {

    private static final int ROUNDS = 100;
    private static final int CALLERS = 4;
    private static final int CALLS_PER_CALLER = 25;

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Dependency.class, Dependency::new)
            .withPropertyValues("resilience.circuitbreaker.configs.default.minimum-number-of-calls=20",
                    "resilience.circuitbreaker.configs.default.failure-rate-threshold=60",
                    "resilience.circuitbreaker.configs.default.wait-duration-in-open-state=500ms",
                    "resilience.circuitbreaker.configs.default.permitted-number-of-calls-in-half-open-state=2",
                    "resilience.ratelimiter.configs.default.limit-for-period=60",
                    "resilience.ratelimiter.configs.default.limit-refresh-period=100ms",
                    "resilience.ratelimiter.configs.default.timeout-duration=300ms",
                    "resilience.bulkhead.configs.default.max-concurrent-calls=8",
                    "resilience.bulkhead.configs.default.max-wait-duration=400ms",
                    "resilience.timeout.configs.default.timeout-duration=1s",
                    "resilience.timeout.instances.patient.cancel-running-future=false");

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(strings = {"platform", "virtual"})
    void everySlotAndPermitIsBackAfterAMixedRunThatCancelsAtTheDeadline(String threads) throws Exception {
        mixedRun(threads, "cancelling");
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(strings = {"platform", "virtual"})
    void everySlotAndPermitIsBackAfterAMixedRunThatLetsLateCallsFinish(String threads) throws Exception {
        mixedRun(threads, "patient");
    }

    private void mixedRun(String threads, String name) throws Exception {
        ExecutorService callers = callers(threads);
        try {
            runner.run(context -> {
                assertThat(context).hasNotFailed();
                try {
                    rounds(context, callers, name);
                } catch (Exception failure) {
                    throw new AssertionError(failure);
                }
            });
        } finally {
            callers.shutdownNow();
        }
    }

    private void rounds(AssertableApplicationContext context, ExecutorService callers, String name) throws Exception {
        Dependency dependency = context.getBean(Dependency.class);
        Queue<CompletableFuture<String>> returned = new ConcurrentLinkedQueue<>();
        Queue<CompletableFuture<String>> unfinished = new ConcurrentLinkedQueue<>();
        Queue<CompletableFuture<String>> toCancel = new ConcurrentLinkedQueue<>();
        for (int round = 0; round < ROUNDS; round++) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                Random random = new Random(round * 31L + caller);
                running.add(callers.submit(() -> {
                    go.await();
                    for (int call = 0; call < CALLS_PER_CALLER; call++) {
                        CompletableFuture<String> work = new CompletableFuture<>();
                        int behaviour = random.nextInt(10);
                        if (behaviour < 4) {
                            work.complete("ok");
                        } else if (behaviour < 6) {
                            work.completeExceptionally(new IOException("down"));
                        } else if (behaviour >= 8 || !name.equals("cancelling")) {
                            unfinished.add(work); // finishes after the deadline
                        } // else hangs for good: only cancelling it at the deadline frees its slot
                        CompletableFuture<String> stage = Dependency.call(dependency, name, work);
                        returned.add(stage);
                        if (behaviour == 9) {
                            toCancel.add(stage);
                        }
                    }
                    return null;
                }));
            }
            Future<?> clock = callers.submit(() -> {
                go.await();
                for (int step = 0; step < 10; step++) {
                    time.advance(Duration.ofMillis(50));
                }
                return null;
            });
            go.countDown();
            for (Future<?> each : running) {
                each.get(30, TimeUnit.SECONDS);
            }
            clock.get(30, TimeUnit.SECONDS);
            for (CompletableFuture<String> stage; (stage = toCancel.poll()) != null;) {
                stage.cancel(true);
            }
            time.advance(Duration.ofSeconds(2));
            int late = 0;
            for (CompletableFuture<String> work; (work = unfinished.poll()) != null; late++) {
                if (late % 2 == 0) {
                    work.complete("late");
                } else {
                    work.completeExceptionally(new IOException("late failure"));
                }
            }
        }
        time.advance(Duration.ofSeconds(2));

        assertThat(returned).hasSize(ROUNDS * CALLERS * CALLS_PER_CALLER).allMatch(CompletableFuture::isDone);
        dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get(name);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(8);
        assertThat(bulkhead.getWaitingCalls()).isZero();
        assertThat(dependency.mostInside(name)).as("never more calls at work than the bulkhead admits")
                .isBetween(1, 8);
        dev.resilience.circuitbreaker.CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).get(name);
        for (int trial = 0; trial < 2 && breaker.getState() != CircuitBreakerState.CLOSED; trial++) {
            assertThat(Dependency.call(dependency, name, CompletableFuture.completedFuture("trial")))
                    .as("a trial in state %s", breaker.getState()).isCompletedWithValue("trial");
        }
        assertThat(breaker.getState()).as("no half-open trial was kept").isEqualTo(CircuitBreakerState.CLOSED);
    }

    private static ExecutorService callers(String threads) throws ReflectiveOperationException {
        if (threads.equals("platform")) {
            return Executors.newFixedThreadPool(CALLERS + 1);
        }
        assumeTrue(Runtime.version().feature() >= 21,
                "virtual threads need JDK 21 or later; this JVM is " + Runtime.version());
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    static class Dependency {
        private final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();

        /** The most calls of the instance whose work had started and not yet completed, at any moment. */
        public int mostInside(String name) {
            return most.computeIfAbsent(name, key -> new AtomicInteger()).get();
        }

        /**
         * Counts the call in until its work ends, and hands the pipeline a stage that completes (or is cancelled)
         * only after the count went down, so the bulkhead can only see the slot free once the call is out.
         */
        private CompletableFuture<String> enter(String name, CompletableFuture<String> work) {
            int now = inside.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            most.computeIfAbsent(name, key -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            AtomicBoolean left = new AtomicBoolean();
            Runnable leave = () -> {
                if (left.compareAndSet(false, true)) {
                    inside.get(name).decrementAndGet();
                }
            };
            CompletableFuture<String> tracked = new CompletableFuture<>() {
                @Override
                public boolean cancel(boolean mayInterruptIfRunning) {
                    leave.run();
                    work.cancel(mayInterruptIfRunning);
                    return super.cancel(mayInterruptIfRunning);
                }
            };
            work.whenComplete((result, failure) -> {
                leave.run();
                if (failure == null) {
                    tracked.complete(result);
                } else {
                    tracked.completeExceptionally(failure);
                }
            });
            return tracked;
        }

        /** Through the proxy: a call from inside the bean would not be guarded. */
        static CompletableFuture<String> call(Dependency proxy, String name, CompletableFuture<String> work) {
            return name.equals("cancelling") ? proxy.cancelling(work) : proxy.patient(work);
        }

        @CircuitBreaker("cancelling")
        @RateLimiter("cancelling")
        @Timeout("cancelling")
        @Bulkhead("cancelling")
        public CompletableFuture<String> cancelling(CompletableFuture<String> work) {
            return enter("cancelling", work);
        }

        @CircuitBreaker("patient")
        @RateLimiter("patient")
        @Timeout("patient")
        @Bulkhead("patient")
        public CompletableFuture<String> patient(CompletableFuture<String> work) {
            return enter("patient", work);
        }
    }
}
