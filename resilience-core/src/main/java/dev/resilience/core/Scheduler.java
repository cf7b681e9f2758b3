package dev.resilience.core;

/**
 * Runs a task after a delay without blocking the caller; asynchronous retries and
 * bulkhead wait deadlines go through it.
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Runs {@code task} once, after {@code delayNanos}.
     * @return a handle that cancels the task if it has not run yet
     */
    Cancellable schedule(Runnable task, long delayNanos);

    /** A scheduled task that can still be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
