package dev.resilience.timeout;

import dev.resilience.core.CheckedCall;
import dev.resilience.core.ClaimedFuture;
import dev.resilience.core.Durations;
import dev.resilience.core.EventSink;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Timing;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Bounds a call's duration. A synchronous call runs on a worker thread while the caller waits: at the deadline
 * the caller gets {@link CallTimeoutException} at once and the worker is interrupted, whether or not the call
 * heeds the interrupt. An asynchronous call's stage completes exceptionally at the deadline, and with
 * {@code cancel-running-future} the underlying future is cancelled. Deadlines fire from the shared
 * {@link Scheduler}: no thread is created per call to watch the time.
 */
public final class Timeout {

    private final String name;
    private final Timing timing;
    private final ExecutorService workers;
    private volatile TimeoutConfig config;
    private volatile long timeoutNanos;
    private final LongAdder successful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder timedOutCalls = new LongAdder();
    private volatile EventSink events = EventSink.NONE;

    /** @param workers runs synchronous calls; virtual threads where the JDK has them */
    public Timeout(String name, TimeoutConfig config, Timing timing, ExecutorService workers) {
        this.name = Objects.requireNonNull(name, "name");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.workers = Objects.requireNonNull(workers, "workers");
        reconfigure(config);
    }

    public String getName() {
        return name;
    }

    public TimeoutConfig getConfig() {
        return config;
    }

    public void reconfigure(TimeoutConfig newConfig) {
        config = Objects.requireNonNull(newConfig, "config");
        timeoutNanos = Durations.toNanos(newConfig.timeoutDuration());
    }

    public void setEventSink(EventSink sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /** The deadline in nanoseconds, for callers that enforce it themselves (e.g. on a reactive pipeline). */
    public long getTimeoutNanos() {
        return timeoutNanos;
    }

    /**
     * Counts the outcome of a call whose deadline the caller enforced itself.
     *
     * @param timedOut whether the deadline passed first
     * @param failure the call's own failure, or {@code null}
     */
    public void record(boolean timedOut, Throwable failure) {
        if (timedOut) {
            timedOutCalls.increment();
            EventSink sink = events;
            if (sink != EventSink.NONE) {
                sink.publish("timeout", name, "TIMEOUT", "call did not finish within " + config.timeoutDuration());
            }
        } else if (failure == null) {
            successful.increment();
        } else {
            failed.increment();
        }
    }

    public long getSuccessfulCalls() {
        return successful.sum();
    }

    public long getFailedCalls() {
        return failed.sum();
    }

    public long getTimedOutCalls() {
        return timedOutCalls.sum();
    }

    /**
     * Runs {@code call} on a worker and waits for it until the deadline. The call's own failure is rethrown
     * unchanged. The outcome is counted before the caller gets it.
     *
     * @throws CallTimeoutException at the deadline; the worker is then interrupted
     */
    public <T> T call(CheckedCall<T> call) throws Throwable {
        ClaimedFuture<T> outcome = new ClaimedFuture<>();
        Future<?> worker = workers.submit(() -> {
            T result;
            try {
                result = call.call();
            } catch (Throwable failure) {
                fail(outcome, failure);
                return;
            }
            succeed(outcome, result);
        });
        Scheduler.Cancellable deadline = timing.scheduler().schedule(() -> {
            if (expire(outcome)) {
                worker.cancel(true);
            }
        }, timeoutNanos);
        try {
            return outcome.get();
        } catch (ExecutionException ex) {
            throw ex.getCause();
        } catch (InterruptedException interrupted) {
            outcome.cancel(true); // the caller gave up: whatever the worker ends with is not counted
            worker.cancel(true);
            Thread.currentThread().interrupt();
            throw interrupted;
        } finally {
            deadline.cancel();
        }
    }

    /**
     * The stage of {@code call}, completed exceptionally with {@link CallTimeoutException} at the deadline if it
     * has not completed by then. At the deadline the running stage is cancelled when {@code cancel-running-future}
     * is set, and left to finish otherwise. A caller that cancels the returned stage cancels the running one too,
     * whatever the setting: it asked for the work to stop.
     */
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
        ClaimedFuture<T> outcome = new ClaimedFuture<>();
        CompletableFuture<T> running;
        try {
            running = call.get().toCompletableFuture();
        } catch (Throwable failure) {
            failed.increment();
            return CompletableFuture.failedFuture(failure);
        }
        Scheduler.Cancellable deadline = timing.scheduler().schedule(() -> {
            if (expire(outcome) && config.cancelRunningFuture()) {
                running.cancel(true);
            }
        }, timeoutNanos);
        running.whenComplete((result, failure) -> {
            deadline.cancel();
            if (failure == null) {
                succeed(outcome, result);
            } else {
                fail(outcome, unwrap(failure));
            }
        });
        outcome.whenComplete((result, failure) -> {
            if (outcome.isCancelled()) {
                running.cancel(true);
            }
        });
        return outcome;
    }

    // Each of these counts the outcome before settling it, so that whoever waits on it sees the count.

    private <T> void succeed(ClaimedFuture<T> outcome, T result) {
        if (outcome.claim()) {
            successful.increment();
            outcome.settle(result);
        }
    }

    private void fail(ClaimedFuture<?> outcome, Throwable failure) {
        if (outcome.claim()) {
            failed.increment();
            outcome.settleExceptionally(failure);
        }
    }

    /** Fails {@code outcome} with the timeout; false when the call completed first (or its caller gave up). */
    private boolean expire(ClaimedFuture<?> outcome) {
        if (!outcome.claim()) {
            return false;
        }
        record(true, null);
        outcome.settleExceptionally(new CallTimeoutException(name, config.timeoutDuration()));
        return true;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    @Override
    public String toString() {
        return "Timeout[" + name + ", " + config.timeoutDuration() + "]";
    }
}
