package dev.resilience.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * A future completed in two steps, so that whoever completes it can count the outcome before anyone sees it:
 * first {@link #claim()} (exactly one party wins), then the winner updates its counters, then it
 * {@linkplain #settle settles} the future. A plain {@code CompletableFuture} runs its dependents inside
 * {@code complete}, so counting after a successful {@code complete} lets the caller see the outcome first, and
 * counting before it may count a race that was lost.
 *
 * <pre>{@code
 * if (outcome.claim()) {
 *     timedOut.increment();
 *     outcome.settleExceptionally(new CallTimeoutException(name, duration));
 * }
 * }</pre>
 *
 * Completing it from outside ({@code complete}, {@code completeExceptionally}, {@code cancel}, also through
 * {@code orTimeout}) claims it first, and does nothing once it is claimed.
 *
 * @param <T> the result type
 */
public final class ClaimedFuture<T> extends CompletableFuture<T> {

    private static final VarHandle CLAIMED;

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(ClaimedFuture.class, "claimed", boolean.class);
        } catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    // Invariant: set once, by the one party allowed to complete this future.
    @SuppressWarnings("unused") // through CLAIMED
    private volatile boolean claimed;

    /** Whether this caller won the right to complete the future; true for exactly one caller. */
    public boolean claim() {
        return CLAIMED.compareAndSet(this, false, true);
    }

    /** Completes the future with {@code result}; only after a successful {@link #claim()}. */
    public void settle(T result) {
        super.complete(result);
    }

    /** Completes the future with {@code failure}; only after a successful {@link #claim()}. */
    public void settleExceptionally(Throwable failure) {
        super.completeExceptionally(failure);
    }

    @Override
    public boolean complete(T value) {
        return claim() && super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        return claim() && super.completeExceptionally(failure);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return claim() ? super.cancel(mayInterruptIfRunning) : isCancelled();
    }
}
