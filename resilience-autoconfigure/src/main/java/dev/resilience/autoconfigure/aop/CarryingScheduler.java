package dev.resilience.autoconfigure.aop;

import dev.resilience.core.Scheduler;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The starter's scheduler, running each task with the context of the thread that scheduled it; or, through
 * {@link #pinned()}, with a context taken earlier (an asynchronous retry takes its caller's when the call starts,
 * since a failed attempt may be settled on whichever thread completed the method's future).
 */
final class CarryingScheduler implements Scheduler {

    private final Scheduler scheduler;
    private final Supplier<UnaryOperator<Runnable>> capture;

    CarryingScheduler(Scheduler scheduler, Supplier<UnaryOperator<Runnable>> capture) {
        this.scheduler = scheduler;
        this.capture = capture;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        return scheduler.schedule(capture.get().apply(task), delayNanos);
    }

    /** A scheduler whose tasks run with the calling thread's context as it is now. */
    Scheduler pinned() {
        UnaryOperator<Runnable> context = capture.get();
        return (task, delayNanos) -> scheduler.schedule(context.apply(task), delayNanos);
    }

    /** {@code scheduler} pinned to the calling thread's context where it carries one, else itself. */
    static Scheduler pinnedToCaller(Scheduler scheduler) {
        return scheduler instanceof CarryingScheduler carrying ? carrying.pinned() : scheduler;
    }
}
