package dev.resilience.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.CheckedCall;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Workers;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimeoutTest {

    private final FakeTime time = new FakeTime();
    private final ExecutorService workers = Workers.forTimeouts();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final Timeout timeout = new Timeout("slow", new TimeoutConfig(Duration.ofSeconds(2), true), time.timing(),
            workers);

    @AfterEach
    void stopThreads() {
        workers.shutdownNow();
        callers.shutdownNow();
    }

    @Test
    void synchronousCallWithinTheDeadlineReturnsItsResult() throws Throwable {
        assertThat(timeout.call(() -> "fast")).isEqualTo("fast");
        assertThat(timeout.getSuccessfulCalls()).isEqualTo(1);
        assertThat(time.pendingTasks()).as("the deadline is cancelled").isZero();
    }

    @Test
    void synchronousFailureIsRethrownUnchanged() {
        IOException failure = new IOException("down");

        assertThatThrownBy(() -> timeout.call(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(timeout.getFailedCalls()).isEqualTo(1);
    }

    @Test
    void blockingCallIsInterruptedAndTheCallerGetsTheTimeoutAtTheDeadline() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Future<Object> caller = callers.submit(guarded(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException expected) {
                interrupted.complete(true);
            }
            return "never";
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        awaitDeadlineScheduled();

        time.advance(Duration.ofSeconds(2));

        assertThatThrownBy(() -> caller.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CallTimeoutException.class);
        assertThat(interrupted.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(timeout.getTimedOutCalls()).isEqualTo(1);
    }

    @Test
    void callerReturnsAtTheDeadlineEvenWhenTheCallIgnoresTheInterrupt() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Future<Object> caller = callers.submit(guarded(() -> {
            started.countDown();
            while (!release.get()) {
                Thread.onSpinWait();
            }
            return "late";
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        awaitDeadlineScheduled();

        time.advance(Duration.ofSeconds(2));

        try {
            assertThatThrownBy(() -> caller.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CallTimeoutException.class);
        } finally {
            release.set(true);
        }
    }

    @Test
    void asynchronousStageFailsAtTheDeadlineAndTheRunningFutureIsCancelled() {
        CompletableFuture<String> running = new CompletableFuture<>();

        CompletableFuture<String> guarded = timeout.callAsync(() -> running);
        time.advance(Duration.ofMillis(1999));
        assertThat(guarded).isNotDone();
        time.advance(Duration.ofMillis(1));

        assertThatThrownBy(guarded::join).hasCauseInstanceOf(CallTimeoutException.class);
        assertThat(running).isCancelled();
    }

    @Test
    void callerCancellingTheStageCancelsTheRunningFutureWhateverTheSetting() {
        Timeout lenient = new Timeout("lenient", new TimeoutConfig(Duration.ofSeconds(1), false), time.timing(),
                workers);
        CompletableFuture<String> running = new CompletableFuture<>();

        lenient.callAsync(() -> running).cancel(true);

        assertThat(running).isCancelled();
        assertThat(time.pendingTasks()).as("the deadline is called off").isZero();
    }

    @Test
    void runningFutureIsLeftAloneWithoutCancelRunningFuture() {
        Timeout lenient = new Timeout("lenient", new TimeoutConfig(Duration.ofSeconds(1), false), time.timing(),
                workers);
        CompletableFuture<String> running = new CompletableFuture<>();

        CompletableFuture<String> guarded = lenient.callAsync(() -> running);
        time.advance(Duration.ofSeconds(1));

        assertThat(guarded).isCompletedExceptionally();
        assertThat(running).isNotDone();
    }

    @Test
    void asynchronousResultBeforeTheDeadlinePassesThrough() {
        CompletableFuture<String> running = new CompletableFuture<>();
        CompletableFuture<String> guarded = timeout.callAsync(() -> running);

        running.complete("done");

        assertThat(guarded).isCompletedWithValue("done");
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void anAsynchronousTimeoutIsCountedBeforeTheCallerSeesIt() {
        CompletableFuture<String> guarded = timeout.callAsync(CompletableFuture::new);
        CompletableFuture<Long> countWhenAnswered = guarded.handle((result, failure) -> timeout.getTimedOutCalls());

        time.advance(Duration.ofSeconds(2));

        assertThat(countWhenAnswered).isCompletedWithValue(1L);
    }

    @Test
    void anAsynchronousSuccessOrFailureIsCountedBeforeTheCallerSeesIt() {
        CompletableFuture<String> succeeding = new CompletableFuture<>();
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<Long> successesWhenAnswered = timeout.callAsync(() -> succeeding)
                .handle((result, failure) -> timeout.getSuccessfulCalls());
        CompletableFuture<Long> failuresWhenAnswered = timeout.callAsync(() -> failing)
                .handle((result, failure) -> timeout.getFailedCalls());

        succeeding.complete("done");
        failing.completeExceptionally(new IOException("down"));

        assertThat(successesWhenAnswered).isCompletedWithValue(1L);
        assertThat(failuresWhenAnswered).isCompletedWithValue(1L);
    }

    @Test
    void aSynchronousTimeoutIsCountedBeforeTheCallerSeesIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Future<Long> countWhenAnswered = callers.submit(() -> {
            try {
                timeout.call(() -> {
                    started.countDown();
                    new CountDownLatch(1).await();
                    return "never";
                });
                return -1L;
            } catch (CallTimeoutException expected) {
                return timeout.getTimedOutCalls();
            } catch (Throwable unexpected) {
                throw new AssertionError(unexpected);
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        awaitDeadlineScheduled();

        time.advance(Duration.ofSeconds(2));

        assertThat(countWhenAnswered.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
    }

    @Test
    void aCallerThatCancelsTheStageIsNotCountedWhenTheCallEndsLater() {
        CompletableFuture<String> running = new CompletableFuture<>();
        Timeout lenient = new Timeout("lenient", new TimeoutConfig(Duration.ofSeconds(1), false), time.timing(),
                workers);
        CompletableFuture<String> guarded = lenient.callAsync(() -> running);

        assertThat(guarded.cancel(false)).isTrue();
        time.advance(Duration.ofSeconds(1));

        assertThat(guarded).isCancelled();
        assertThat(lenient.getSuccessfulCalls() + lenient.getFailedCalls() + lenient.getTimedOutCalls()).isZero();
    }

    @Test
    void rejectsANonPositiveDuration() {
        assertThatThrownBy(() -> new TimeoutConfig(Duration.ZERO, true)).hasMessageContaining("timeout-duration")
                .hasMessageContaining("must be positive");
    }

    /** The guarded call as a task for another thread. */
    private Callable<Object> guarded(CheckedCall<Object> call) {
        return () -> {
            try {
                return timeout.call(call);
            } catch (Exception | Error failure) {
                throw failure;
            } catch (Throwable other) {
                throw new AssertionError(other);
            }
        };
    }

    private void awaitDeadlineScheduled() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (time.pendingTasks() == 0) {
            assertThat(System.nanoTime()).as("deadline scheduled in time").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
