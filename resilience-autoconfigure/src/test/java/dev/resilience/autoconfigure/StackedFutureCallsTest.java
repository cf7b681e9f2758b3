package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import dev.resilience.retry.RetryRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A {@code CompletableFuture} method with a breaker, a retry, a bulkhead and a fallback stacked, whose stages are
 * still running when it returns them: each attempt holds a slot and a permit until its own stage completes, gives
 * them back exactly once however its end races a caller's cancellation, and a caller that gives up stops the
 * attempts and the fallback.
 */
class StackedFutureCallsTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Dependency.class, Dependency::new)
            .withPropertyValues("resilience.retry.instances.stacked.max-attempts=3",
                    "resilience.retry.instances.stacked.wait-duration=1s",
                    "resilience.bulkhead.instances.stacked.max-concurrent-calls=2",
                    "resilience.bulkhead.instances.stacked.max-wait-duration=10s",
                    "resilience.circuitbreaker.instances.stacked.minimum-number-of-calls=100");

    private void run(Consumer<AssertableApplicationContext> test) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
        });
    }

    private static int freeSlots(AssertableApplicationContext context) {
        return context.getBean(BulkheadRegistry.class).get("stacked").getAvailableConcurrentCalls();
    }

    private static dev.resilience.circuitbreaker.CircuitBreaker breaker(AssertableApplicationContext context) {
        return context.getBean(CircuitBreakerRegistry.class).get("stacked");
    }

    @Test
    void attemptsStillRunningEachHoldASlotUntilTheirOwnStageCompletes() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> first = new CompletableFuture<>();
            CompletableFuture<String> second = new CompletableFuture<>();
            dependency.attempts().add(first);
            dependency.attempts().add(second);
            CompletableFuture<String> guarded = dependency.stacked();
            assertThat(freeSlots(context)).isEqualTo(1);

            first.completeExceptionally(new IOException("down"));
            assertThat(freeSlots(context)).as("no slot during the backoff").isEqualTo(2);
            time.advance(Duration.ofSeconds(1));
            assertThat(freeSlots(context)).isEqualTo(1);
            second.complete("up");

            assertThat(guarded).isCompletedWithValue("up");
            assertThat(freeSlots(context)).isEqualTo(2);
            assertThat(breaker(context).getMetrics().failedCalls()).isEqualTo(1);
            assertThat(breaker(context).getMetrics().successfulCalls()).isEqualTo(1);
            assertThat(context.getBean(RetryRegistry.class).get("stacked").getMetrics().successfulWithRetry())
                    .isEqualTo(1);
            assertThat(dependency.fallbacks()).hasValue(0);
        });
    }

    @Test
    void callThatWaitedForItsSlotGivesItBackOnce() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> first = new CompletableFuture<>();
            CompletableFuture<String> second = new CompletableFuture<>();
            CompletableFuture<String> third = new CompletableFuture<>();
            dependency.attempts().addAll(List.of(first, second, third));
            CompletableFuture<String> one = dependency.stacked();
            dependency.stacked();
            CompletableFuture<String> waiting = dependency.stacked();
            assertThat(dependency.calls()).as("the third waits for a slot").hasValue(2);

            first.complete("one");
            assertThat(dependency.calls()).hasValue(3);
            third.complete("three");
            second.complete("two");

            assertThat(one).isCompletedWithValue("one");
            assertThat(waiting).isCompletedWithValue("three");
            assertThat(freeSlots(context)).isEqualTo(2);
        });
    }

    @Test
    void fallbackAnswersOnceTheRetriesOfStagesStillRunningAreExhausted() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            Queue<CompletableFuture<String>> running = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < 3; i++) {
                CompletableFuture<String> attempt = new CompletableFuture<>();
                dependency.attempts().add(attempt);
                running.add(attempt);
            }
            CompletableFuture<String> guarded = dependency.stacked();

            for (int i = 0; i < 3; i++) {
                assertThat(guarded).isNotDone();
                running.remove().completeExceptionally(new IOException("down " + i));
                time.advance(Duration.ofSeconds(1));
            }

            assertThat(guarded).isCompletedWithValue("fallback after down 2");
            assertThat(dependency.calls()).hasValue(3);
            assertThat(freeSlots(context)).isEqualTo(2);
            assertThat(breaker(context).getMetrics().failedCalls()).isEqualTo(3);
        });
    }

    @Test
    void callCancelledDuringTheBackoffMakesNoFurtherAttemptAndNoFallback() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> first = new CompletableFuture<>();
            dependency.attempts().add(first);
            dependency.attempts().add(CompletableFuture.completedFuture("too late"));
            CompletableFuture<String> guarded = dependency.stacked();
            first.completeExceptionally(new IOException("down"));
            assertThat(guarded).isNotDone();

            guarded.cancel(true);
            time.advance(Duration.ofSeconds(5));

            assertThat(guarded).isCancelled();
            assertThat(dependency.calls()).hasValue(1);
            assertThat(dependency.fallbacks()).hasValue(0);
            assertThat(freeSlots(context)).isEqualTo(2);
            assertThat(breaker(context).getMetrics().bufferedCalls()).isEqualTo(1);
        });
    }

    @Test
    void cancellingTheCallCancelsTheAttemptInFlightAndGivesBackItsSlotAndPermit() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> hung = new CompletableFuture<>();
            dependency.attempts().add(hung);
            CompletableFuture<String> guarded = dependency.stacked();

            guarded.cancel(true);

            assertThat(hung).isCancelled();
            assertThat(freeSlots(context)).isEqualTo(2);
            assertThat(breaker(context).getMetrics().bufferedCalls()).as("a cancelled call counts as nothing")
                    .isZero();
            time.advance(Duration.ofSeconds(5));
            assertThat(dependency.calls()).hasValue(1);
            assertThat(dependency.fallbacks()).hasValue(0);
        });
    }

    @Test
    void aMinimalStageStillRunningIsFollowedAndRetried() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> first = new CompletableFuture<>();
            CompletableFuture<String> second = new CompletableFuture<>();
            dependency.minimal().add(first.minimalCompletionStage());
            dependency.minimal().add(second.minimalCompletionStage());
            CompletableFuture<String> guarded = dependency.stackedMinimal().toCompletableFuture();

            first.completeExceptionally(new IOException("down"));
            time.advance(Duration.ofSeconds(1));
            assertThat(guarded).isNotDone();
            second.complete("up");

            assertThat(guarded).isCompletedWithValue("up");
            assertThat(freeSlots(context)).isEqualTo(2);
        });
    }

    @Test
    void completionRacingCancellationReturnsTheSlotExactlyOnce() throws Exception {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 500; round++) {
                    CompletableFuture<String> work = new CompletableFuture<>();
                    dependency.attempts().add(work);
                    CompletableFuture<String> guarded = dependency.stacked();
                    CyclicBarrier start = new CyclicBarrier(2);
                    Future<?> completing = threads.submit(() -> {
                        start.await(5, TimeUnit.SECONDS);
                        return work.complete("done");
                    });
                    Future<?> cancelling = threads.submit(() -> {
                        start.await(5, TimeUnit.SECONDS);
                        return guarded.cancel(true);
                    });
                    completing.get(5, TimeUnit.SECONDS);
                    cancelling.get(5, TimeUnit.SECONDS);

                    assertThat(guarded).isDone();
                    assertThat(freeSlots(context)).as("free slots after round %d", round).isEqualTo(2);
                }
                assertThat(breaker(context).getMetrics().failedCalls()).isZero();
            } catch (Exception failure) {
                throw new AssertionError(failure);
            } finally {
                threads.shutdownNow();
            }
        });
    }

    @Test
    void slotIsFreeWhenTheCallersContinuationRuns() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> work = new CompletableFuture<>();
            dependency.attempts().add(work);
            AtomicInteger free = new AtomicInteger(-1);
            dependency.stacked().thenRun(() -> free.set(freeSlots(context)));

            work.complete("done");

            assertThat(free).as("free slots when the caller's continuation ran").hasValue(2);
        });
    }

    @Test
    void aCallWhoseMethodAnswersAnotherGuardedCallWaitingForItsOwnSlotGivesBackItsSlot() {
        runner.withBean(Inner.class).withBean(Outer.class)
                .withPropertyValues("resilience.bulkhead.instances.inner.max-concurrent-calls=1",
                        "resilience.bulkhead.instances.inner.max-wait-duration=10s")
                .run(context -> {
                    Inner inner = context.getBean(Inner.class);
                    BulkheadRegistry bulkheads = context.getBean(BulkheadRegistry.class);
                    int outerFree = bulkheads.get("outer").getAvailableConcurrentCalls();
                    CompletableFuture<String> first = new CompletableFuture<>();
                    CompletableFuture<String> second = new CompletableFuture<>();
                    inner.answers().addAll(List.of(first, second));
                    CompletableFuture<String> blocker = inner.call(); // takes the inner bulkhead's only slot

                    CompletableFuture<String> guarded = context.getBean(Outer.class).call(); // inner waits for a slot

                    assertThat(bulkheads.get("outer").getAvailableConcurrentCalls()).isEqualTo(outerFree - 1);
                    first.complete("first"); // the inner slot goes to the waiting call, which starts
                    second.complete("second");
                    assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo("first");
                    assertThat(guarded.get(10, TimeUnit.SECONDS)).isEqualTo("second");
                    assertThat(bulkheads.get("outer").getAvailableConcurrentCalls()).as("the outer slot, given back")
                            .isEqualTo(outerFree);
                    assertThat(bulkheads.get("inner").getAvailableConcurrentCalls()).isEqualTo(1);
                });
    }

    /** A guarded call whose method answers another guarded call's stage. */
    static class Outer {
        private final Inner inner;

        Outer(Inner inner) {
            this.inner = inner;
        }

        @CircuitBreaker("outer")
        @Bulkhead("outer")
        public CompletableFuture<String> call() {
            return inner.call();
        }
    }

    static class Inner {
        private final Queue<CompletableFuture<String>> answers = new ConcurrentLinkedQueue<>();

        /** The stages {@link #call()} answers, one per call. */
        Queue<CompletableFuture<String>> answers() {
            return answers;
        }

        @Bulkhead("inner")
        public CompletableFuture<String> call() {
            return answers.remove();
        }
    }

    static class Dependency {
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger fallbacks = new AtomicInteger();
        private final Queue<CompletableFuture<String>> attempts = new ConcurrentLinkedQueue<>();
        private final Queue<CompletionStage<String>> minimal = new ConcurrentLinkedQueue<>();

        AtomicInteger calls() {
            return calls;
        }

        AtomicInteger fallbacks() {
            return fallbacks;
        }

        /** The stages {@link #stacked()} answers, one per attempt. */
        Queue<CompletableFuture<String>> attempts() {
            return attempts;
        }

        /** The stages {@link #stackedMinimal()} answers, one per attempt. */
        Queue<CompletionStage<String>> minimal() {
            return minimal;
        }

        @CircuitBreaker("stacked")
        @Retry("stacked")
        @Bulkhead("stacked")
        @Fallback("recover")
        public CompletableFuture<String> stacked() {
            calls.incrementAndGet();
            return attempts.remove();
        }

        CompletableFuture<String> recover(Throwable failure) {
            fallbacks.incrementAndGet();
            return CompletableFuture.completedFuture("fallback after " + failure.getMessage());
        }

        @CircuitBreaker("stacked")
        @Retry("stacked")
        @Bulkhead("stacked")
        public CompletionStage<String> stackedMinimal() {
            calls.incrementAndGet();
            return minimal.remove();
        }
    }
}
