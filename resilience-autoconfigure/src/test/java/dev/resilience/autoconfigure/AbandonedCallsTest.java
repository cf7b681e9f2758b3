package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.timeout.CallTimeoutException;
import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Asynchronous calls that hang or are given up never keep a bulkhead slot, a reserved rate-limiter permit or a
 * half-open trial: a slot is held exactly while the method's own work may still run, and a caller that gave up
 * while waiting is never granted one.
 */
class AbandonedCallsTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Dependency.class, Dependency::new)
            .withPropertyValues("resilience.timeout.instances.cancelling.timeout-duration=1s",
                    "resilience.bulkhead.instances.cancelling.max-concurrent-calls=2",
                    "resilience.bulkhead.instances.cancelling.max-wait-duration=10s",
                    "resilience.timeout.instances.patient.timeout-duration=1s",
                    "resilience.timeout.instances.patient.cancel-running-future=false",
                    "resilience.bulkhead.instances.patient.max-concurrent-calls=1",
                    "resilience.bulkhead.instances.patient.max-wait-duration=10s",
                    "resilience.bulkhead.instances.queue.max-concurrent-calls=1",
                    "resilience.bulkhead.instances.queue.max-wait-duration=10s",
                    "resilience.ratelimiter.instances.paced.limit-for-period=1",
                    "resilience.ratelimiter.instances.paced.limit-refresh-period=1s",
                    "resilience.ratelimiter.instances.paced.timeout-duration=5s",
                    "resilience.circuitbreaker.instances.trial.minimum-number-of-calls=1",
                    "resilience.circuitbreaker.instances.trial.wait-duration-in-open-state=1s",
                    "resilience.circuitbreaker.instances.trial.permitted-number-of-calls-in-half-open-state=1",
                    "resilience.retry.instances.retried.wait-duration=1s");

    private void run(Consumer<AssertableApplicationContext> test) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
        });
    }

    private static dev.resilience.bulkhead.Bulkhead bulkhead(AssertableApplicationContext context, String name) {
        return context.getBean(BulkheadRegistry.class).get(name);
    }

    /** The failure a completed stage ended with, unwrapped; fails the test if the stage has not completed. */
    private static Throwable failureOf(CompletableFuture<?> stage) {
        assertThat(stage).isDone();
        return stage.handle((result, failure) -> failure).join();
    }

    @Test
    void hungCallsAreCancelledAndGiveTheirSlotsBackAtTheDeadline() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> hungOne = new CompletableFuture<>();
            CompletableFuture<String> hungTwo = new CompletableFuture<>();
            CompletableFuture<String> first = dependency.cancelling(hungOne);
            CompletableFuture<String> second = dependency.cancelling(hungTwo);
            assertThat(bulkhead(context, "cancelling").getAvailableConcurrentCalls()).isZero();

            time.advance(Duration.ofSeconds(1));

            assertThat(first).isCompletedExceptionally();
            assertThat(second).isCompletedExceptionally();
            assertThat(failureOf(first)).isInstanceOf(CallTimeoutException.class);
            assertThat(hungOne).as("the method's own future").isCancelled();
            assertThat(hungTwo).isCancelled();
            assertThat(bulkhead(context, "cancelling").getAvailableConcurrentCalls()).isEqualTo(2);
            assertThat(dependency.cancelling(CompletableFuture.completedFuture("next"))).isCompletedWithValue("next");
        });
    }

    @Test
    void callGrantedASlotWhileWaitingIsStillCancelledAtItsDeadline() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            dependency.cancelling(new CompletableFuture<>());
            dependency.cancelling(new CompletableFuture<>());
            CompletableFuture<String> lastHung = new CompletableFuture<>();
            CompletableFuture<String> last = dependency.cancelling(lastHung);

            time.advance(Duration.ofSeconds(1)); // the first two time out, and hand their slots on before it does

            assertThat(dependency.calls()).as("the waiter got a slot and ran").hasValue(3);
            assertThat(failureOf(last)).isInstanceOf(CallTimeoutException.class);
            assertThat(lastHung).isCancelled();
            assertThat(bulkhead(context, "cancelling").getAvailableConcurrentCalls()).isEqualTo(2);
        });
    }

    @Test
    void withoutCancellingTheSlotIsHeldUntilTheMethodsOwnFutureCompletes() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> slow = new CompletableFuture<>();
            CompletableFuture<String> guarded = dependency.patient(slow);

            time.advance(Duration.ofSeconds(1));

            assertThat(guarded).isCompletedExceptionally();
            assertThat(slow).as("left to finish").isNotDone();
            assertThat(bulkhead(context, "patient").getAvailableConcurrentCalls())
                    .as("the dependency is still working on it").isZero();

            slow.complete("late");

            assertThat(bulkhead(context, "patient").getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void waiterWhoseDeadlinePassesIsNeverGrantedASlot() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> slow = new CompletableFuture<>();
            dependency.patient(slow);
            time.advance(Duration.ofMillis(500));
            CompletableFuture<String> waiting = dependency.patient(CompletableFuture.completedFuture("never"));
            assertThat(bulkhead(context, "patient").getWaitingCalls()).isEqualTo(1);

            time.advance(Duration.ofSeconds(1));

            assertThat(waiting).isCompletedExceptionally();
            assertThat(failureOf(waiting)).isInstanceOf(CallTimeoutException.class);
            assertThat(bulkhead(context, "patient").getWaitingCalls()).as("withdrawn at its deadline").isZero();

            slow.complete("late");

            assertThat(dependency.calls()).as("the abandoned call never ran").hasValue(1);
            assertThat(bulkhead(context, "patient").getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void waiterCancelledByItsCallerLeavesTheQueueAndIsNeverGrantedASlot() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> slow = new CompletableFuture<>();
            dependency.queue(slow);
            CompletableFuture<String> waiting = dependency.queue(CompletableFuture.completedFuture("never"));
            assertThat(bulkhead(context, "queue").getWaitingCalls()).isEqualTo(1);

            waiting.cancel(true);

            assertThat(bulkhead(context, "queue").getWaitingCalls()).isZero();
            slow.complete("done");
            assertThat(dependency.calls()).as("the cancelled call never ran").hasValue(1);
            assertThat(bulkhead(context, "queue").getAvailableConcurrentCalls()).isEqualTo(1);
            assertThat(dependency.queue(CompletableFuture.completedFuture("next"))).isCompletedWithValue("next");
        });
    }

    @Test
    void cancellingARunningCallCancelsTheMethodsFutureAndReturnsTheSlot() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> hung = new CompletableFuture<>();
            CompletableFuture<String> guarded = dependency.queue(hung);

            guarded.cancel(true);

            assertThat(hung).isCancelled();
            assertThat(bulkhead(context, "queue").getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void completingTheStageWithACancellationCancelsTheMethodsFutureToo() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> hung = new CompletableFuture<>();
            CompletableFuture<String> guarded = dependency.queue(hung);

            guarded.completeExceptionally(new java.util.concurrent.CancellationException("caller gave up"));

            assertThat(hung).isCancelled();
            assertThat(bulkhead(context, "queue").getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void cancellingARetriedCallCancelsTheAttemptInFlight() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> hung = new CompletableFuture<>();
            dependency.attempts().add(hung);
            CompletableFuture<String> guarded = dependency.retried();

            guarded.cancel(true);

            assertThat(hung).isCancelled();
            assertThat(guarded).isCancelled();
        });
    }

    @Test
    void retriedCallCancelledDuringItsBackoffMakesNoFurtherAttempt() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            dependency.attempts().add(CompletableFuture.failedFuture(new IOException("down")));
            dependency.attempts().add(CompletableFuture.completedFuture("too late"));
            CompletableFuture<String> guarded = dependency.retried();
            assertThat(guarded).isNotDone();

            guarded.cancel(true);
            time.advance(Duration.ofSeconds(1));

            assertThat(dependency.calls()).hasValue(1);
            assertThat(dependency.attempts()).hasSize(1);
        });
    }

    @Test
    void aCallerThatSeesTheOutcomeFindsTheSlotAlreadyFree() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> work = new CompletableFuture<>();
            AtomicInteger seen = new AtomicInteger(-1);
            dependency.queue(work).thenRun(() -> seen.set(bulkhead(context, "queue").getAvailableConcurrentCalls()));

            work.complete("done");

            assertThat(seen).as("free slots when the caller's continuation ran").hasValue(1);
        });
    }

    @Test
    void waiterRejectedAtItsOwnMaxWaitIsNeverGrantedASlot() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            CompletableFuture<String> slow = new CompletableFuture<>();
            dependency.queue(slow);
            CompletableFuture<String> waiting = dependency.queue(CompletableFuture.completedFuture("never"));

            time.advance(Duration.ofSeconds(10));

            assertThat(failureOf(waiting)).isInstanceOf(BulkheadFullException.class);
            assertThat(waiting).isCompletedExceptionally();
            slow.complete("done");
            assertThat(dependency.calls()).hasValue(1);
            assertThat(bulkhead(context, "queue").getAvailableConcurrentCalls()).isEqualTo(1);
            assertThat(bulkhead(context, "queue").getWaitingCalls()).isZero();
        });
    }

    @Test
    void cancelledCallWaitingForAReservedPermitNeverRunsAndGivesThePermitBack() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            dev.resilience.ratelimiter.RateLimiter limiter = context.getBean(RateLimiterRegistry.class).get("paced");
            assertThat(dependency.paced()).isCompletedWithValue("paced");
            CompletableFuture<String> reserved = dependency.paced();
            assertThat(limiter.getAvailablePermissions()).as("one reservation of the next period").isEqualTo(-1);

            reserved.cancel(true);

            assertThat(limiter.getAvailablePermissions()).isZero();
            time.advance(Duration.ofSeconds(2));
            assertThat(dependency.calls()).as("the cancelled call never ran").hasValue(1);
            assertThat(limiter.getAvailablePermissions()).isEqualTo(1);
        });
    }

    @Test
    void cancelledHalfOpenTrialGivesItsPermitBack() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            dev.resilience.circuitbreaker.CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class)
                    .get("trial");
            assertThat(dependency.trial(CompletableFuture.failedFuture(new IOException("down"))))
                    .isCompletedExceptionally();
            time.advance(Duration.ofSeconds(1));
            assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
            CompletableFuture<String> hung = new CompletableFuture<>();
            CompletableFuture<String> trial = dependency.trial(hung);
            CompletableFuture<String> rejected = dependency.trial(CompletableFuture.completedFuture("no"));
            assertThat(failureOf(rejected)).isInstanceOf(CircuitBreakerOpenException.class);
            assertThat(rejected).as("the only trial is taken").isCompletedExceptionally();

            trial.cancel(true);

            assertThat(hung).isCancelled();
            assertThat(dependency.trial(CompletableFuture.completedFuture("yes"))).isCompletedWithValue("yes");
            assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        });
    }

    @Test
    void callerCancellationIsNotRecordedAsAFailure() {
        run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            dev.resilience.circuitbreaker.CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class)
                    .get("trial");

            dependency.trial(new CompletableFuture<>()).cancel(true);

            assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
            assertThat(breaker.getMetrics().failedCalls()).isZero();
            assertThat(breaker.getMetrics().bufferedCalls()).isZero();
        });
    }

    static class Dependency {
        private final AtomicInteger calls = new AtomicInteger();
        private final Queue<CompletableFuture<String>> attempts = new ConcurrentLinkedQueue<>();

        AtomicInteger calls() {
            return calls;
        }

        /** The stages {@link #retried()} answers, one per attempt. */
        Queue<CompletableFuture<String>> attempts() {
            return attempts;
        }

        @Retry("retried")
        public CompletableFuture<String> retried() {
            calls.incrementAndGet();
            return attempts.remove();
        }

        @Timeout("cancelling")
        @Bulkhead("cancelling")
        public CompletableFuture<String> cancelling(CompletableFuture<String> work) {
            calls.incrementAndGet();
            return work;
        }

        @Timeout("patient")
        @Bulkhead("patient")
        public CompletableFuture<String> patient(CompletableFuture<String> work) {
            calls.incrementAndGet();
            return work;
        }

        @Bulkhead("queue")
        public CompletableFuture<String> queue(CompletableFuture<String> work) {
            calls.incrementAndGet();
            return work;
        }

        @RateLimiter("paced")
        public CompletableFuture<String> paced() {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture("paced");
        }

        @CircuitBreaker("trial")
        public CompletableFuture<String> trial(CompletableFuture<String> work) {
            calls.incrementAndGet();
            return work;
        }
    }
}
