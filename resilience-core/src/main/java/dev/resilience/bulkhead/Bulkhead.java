package dev.resilience.bulkhead;

import dev.resilience.core.ClaimedFuture;
import dev.resilience.core.Durations;
import dev.resilience.core.EventSink;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Timing;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Caps how many calls run at once. A call that finds no free slot waits up to {@code max-wait-duration}
 * in first-come, first-served order, then gets {@link BulkheadFullException}.
 *
 * <p>Taking and returning a slot while nobody waits is one CAS each, on the thread's own cell of free slots
 * ({@link StripedPermits}): no lock, no allocation, and threads on different cores seldom write the same
 * memory. Waiters,
 * synchronous (parked) or asynchronous (a stage completed later), queue in one FIFO and are handed slots
 * as they are returned; a newcomer never overtakes a waiter.
 *
 * <pre>{@code
 * bulkhead.acquire();
 * try {
 *     return call();
 * } finally {
 *     bulkhead.release();
 * }
 * }</pre>
 */
public final class Bulkhead {

    private final String name;
    private final Timing timing;
    private volatile BulkheadConfig config;
    private volatile long maxWaitNanos;
    // Invariant: free slots + calls inside == maxConcurrentCalls (see StripedPermits for a lowered limit).
    private final StripedPermits permits;
    // Invariant: waiting counts the waiters in the queue; whoever removes a waiter decrements it.
    private final AtomicInteger waiting = new AtomicInteger();
    private final Queue<ClaimedFuture<Void>> waiters = new ConcurrentLinkedQueue<>();
    private final ReentrantLock handOff = new ReentrantLock();
    // Requests to hand off since the current hand-off began; whoever raises it from 0 hands off.
    private final AtomicInteger handOffRequests = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();
    private volatile EventSink events = EventSink.NONE;

    public Bulkhead(String name, BulkheadConfig config, Timing timing) {
        this.name = Objects.requireNonNull(name, "name");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.config = Objects.requireNonNull(config, "config");
        this.maxWaitNanos = Durations.toNanos(config.maxWaitDuration());
        this.permits = new StripedPermits(config.maxConcurrentCalls());
    }

    public String getName() {
        return name;
    }

    public BulkheadConfig getConfig() {
        return config;
    }

    /** Free slots now. */
    public int getAvailableConcurrentCalls() {
        return permits.available();
    }

    /** Receives rejections; replaces any previous sink. */
    public void setEventSink(EventSink sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /** Calls waiting for a slot now. */
    public int getWaitingCalls() {
        return waiting.get();
    }

    /** Calls rejected since the bulkhead was created. */
    public long getRejectedCalls() {
        return rejected.sum();
    }

    /**
     * Takes a slot, waiting up to {@code max-wait-duration}. An interrupt while waiting rejects the call
     * and keeps the thread's interrupt flag set.
     *
     * @throws BulkheadFullException when no slot was free in time
     */
    public void acquire() {
        if (tryAcquire()) {
            return;
        }
        long waitNanos = maxWaitNanos;
        if (waitNanos == 0) {
            throw rejected(new BulkheadFullException(name, "no free slot of " + config.maxConcurrentCalls()));
        }
        ClaimedFuture<Void> waiter = enqueue();
        try {
            waiter.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException timedOut) {
            BulkheadFullException rejection = timedOutRejection();
            if (abandon(waiter, rejection)) {
                throw rejection;
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            BulkheadFullException rejection = new BulkheadFullException(name, "interrupted while waiting for a slot");
            if (!abandon(waiter, rejection)) {
                rejected(rejection);
                release();
            }
            throw rejection;
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Takes a slot without blocking the caller: the stage completes when the slot is taken, or
     * exceptionally with {@link BulkheadFullException} after {@code max-wait-duration}. A caller that gives up
     * cancels the stage: the waiter leaves the queue at once and is never granted a slot. If the slot was granted
     * a moment before the cancellation, {@code cancel} answers false and the caller owns that slot and must
     * {@link #release()} it.
     */
    public CompletionStage<Void> acquireAsync() {
        if (tryAcquire()) {
            // A new future each time: a caller may cancel what it got, and must not cancel it for others.
            return CompletableFuture.completedFuture(null);
        }
        long waitNanos = maxWaitNanos;
        if (waitNanos == 0) {
            return CompletableFuture.failedFuture(rejected(new BulkheadFullException(name, "no free slot of "
                    + config.maxConcurrentCalls())));
        }
        ClaimedFuture<Void> waiter = enqueue();
        if (!waiter.isDone()) {
            Scheduler.Cancellable deadline = timing.scheduler().schedule(
                    () -> abandon(waiter, timedOutRejection()), waitNanos);
            waiter.whenComplete((ignored, failure) -> {
                deadline.cancel();
                if (waiter.isCancelled()) {
                    withdraw(waiter);
                }
            });
        }
        return waiter;
    }

    /**
     * Takes a slot if one is free and no call waits for one, without waiting and without counting a rejection: a
     * caller that gets {@code false} goes on to {@link #acquire()} or {@link #acquireAsync()}, which wait or reject.
     * Allocates nothing.
     *
     * @return whether the caller now holds a slot, to {@link #release()} exactly once
     */
    public boolean tryAcquire() {
        return waiting.get() == 0 && takeSlot();
    }

    /**
     * Returns a slot taken by {@link #tryAcquire()}, {@link #acquire()} or {@link #acquireAsync()}; call it exactly
     * once per slot.
     */
    public void release() {
        permits.give();
        if (waiting.get() > 0) {
            handOff();
        }
    }

    /** Runs {@code call} inside the bulkhead; a convenience for plain-Java use. */
    public <T> T call(Callable<T> call) throws Exception {
        acquire();
        try {
            return call.call();
        } finally {
            release();
        }
    }

    /** Takes a new limit and wait; calls inside keep their slots, waiters are served if slots freed up. */
    public void reconfigure(BulkheadConfig newConfig) {
        handOff.lock();
        try {
            int delta = newConfig.maxConcurrentCalls() - config.maxConcurrentCalls();
            config = newConfig;
            maxWaitNanos = Durations.toNanos(newConfig.maxWaitDuration());
            permits.adjust(delta);
        } finally {
            handOff.unlock();
        }
        handOff();
    }

    private boolean takeSlot() {
        return permits.take();
    }

    private ClaimedFuture<Void> enqueue() {
        ClaimedFuture<Void> waiter = new ClaimedFuture<>();
        waiters.add(waiter);
        waiting.incrementAndGet();
        // A slot returned between our failed take and the increment above is handed out here: the releaser
        // either saw waiting > 0 or returned its slot before we look.
        handOff();
        return waiter;
    }

    /** Hands free slots to the waiters at the head of the queue, in order. */
    private void handOff() {
        // One thread hands off at a time and loops while others ask it to; granting a slot completes a waiter, which
        // may run its caller's code (the guarded method, its next release) right there: never under the lock, and
        // never nested, so a long queue of calls that finish at once cannot deepen the stack.
        if (handOffRequests.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            grantFreeSlots();
            missed = handOffRequests.addAndGet(-missed);
        } while (missed != 0);
    }

    private void grantFreeSlots() {
        for (;;) {
            ClaimedFuture<Void> waiter;
            handOff.lock();
            try {
                if (waiting.get() == 0 || !takeSlot()) {
                    return;
                }
                waiter = waiters.poll();
                if (waiter == null) {
                    permits.give();
                    return;
                }
                waiting.decrementAndGet();
            } finally {
                handOff.unlock();
            }
            if (!waiter.complete(null)) {
                permits.give(); // it gave up at the same moment
            }
        }
    }

    /**
     * Withdraws a waiter by completing it with {@code rejection}; false when a hand-off granted it a slot
     * first, and the caller then owns that slot. Claiming the waiter decides any race with a hand-off
     * that has already taken it from the queue: that hand-off then returns the slot. The rejection is counted
     * before the waiter completes, so that whoever waits on it sees the count.
     */
    private boolean abandon(ClaimedFuture<Void> waiter, BulkheadFullException rejection) {
        withdraw(waiter);
        if (!waiter.claim()) {
            return false;
        }
        rejected(rejection);
        waiter.settleExceptionally(rejection);
        return true;
    }

    /** Takes a waiter out of the queue unless a hand-off took it first (which then settles its slot). */
    private void withdraw(ClaimedFuture<Void> waiter) {
        if (waiters.remove(waiter)) {
            waiting.decrementAndGet();
        }
    }

    /** Counts a rejection and reports it; answers it for throwing. */
    private BulkheadFullException rejected(BulkheadFullException rejection) {
        rejected.increment();
        EventSink sink = events;
        if (sink != EventSink.NONE) {
            sink.publish("bulkhead", name, "REJECTED", rejection);
        }
        return rejection;
    }

    private BulkheadFullException timedOutRejection() {
        return new BulkheadFullException(name, "no free slot of " + config.maxConcurrentCalls() + " within "
                + config.maxWaitDuration());
    }

    @Override
    public String toString() {
        return "Bulkhead[" + name + ", " + getAvailableConcurrentCalls() + "/" + config.maxConcurrentCalls() + " free]";
    }
}
