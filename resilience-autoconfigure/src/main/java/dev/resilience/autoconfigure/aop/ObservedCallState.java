package dev.resilience.autoconfigure.aop;

import dev.resilience.ResilienceException;
import dev.resilience.core.GuardedCallObserver.CallEvent;
import dev.resilience.core.GuardedCallObserver.CallOutcome;
import dev.resilience.core.GuardedCallObserver.ObservedCall;
import dev.resilience.core.GuardedCallObserver.Scope;
import dev.resilience.degradation.FeatureDegradedException;
import dev.resilience.timeout.CallTimeoutException;

/**
 * One observed call as the pipeline's steps see it: the observer's {@link ObservedCall}, what answered it (a
 * fallback, a stored answer) and the events told so far. Exists only for calls of observed pipelines; the steps of
 * other pipelines find none ({@link #current()} is read on failure paths only, and by asynchronous retry, fallback
 * and last-known-good steps once per call).
 *
 * <p>A rejection reaches several steps on its way out (the retry that sees the attempt fail, the fallback, the
 * observation): it is told once, as long as no other event came in between.
 */
final class ObservedCallState {

    // The observed call whose synchronous steps run on this thread (set by the observation step around them).
    private static final ThreadLocal<ObservedCallState> CURRENT = new ThreadLocal<>();

    private final ObservedCall call;
    // Guarded by this: events of one call may come from different threads, one after another.
    private CallOutcome answeredBy;
    private CallEvent lastEvent;
    private Throwable lastCause;
    private boolean stopped;

    ObservedCallState(ObservedCall call) {
        this.call = call;
    }

    /** The observed call whose steps run on this thread, or {@code null}. */
    static ObservedCallState current() {
        return CURRENT.get();
    }

    /** Makes this the thread's current call; returns the one it replaces, for {@link #restore}. */
    ObservedCallState enter() {
        ObservedCallState previous = CURRENT.get();
        CURRENT.set(this);
        return previous;
    }

    static void restore(ObservedCallState previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /**
     * Begins the synchronous part of observed call {@code call} on this thread: it becomes the thread's current call
     * and its scope is opened, until {@link Open#close} closes both and stops the observation.
     */
    static Open open(ObservedCall call) {
        ObservedCallState state = new ObservedCallState(call);
        ObservedCallState previous = state.enter();
        Scope scope;
        try {
            scope = call.openScope();
        } catch (Throwable failure) { // the call ends here: the thread gets its previous call back
            restore(previous);
            state.stop(failure);
            throw failure;
        }
        return new Open(state, previous, scope);
    }

    /** An observed call that is current on its thread, with its scope open (see {@link #open}). */
    static final class Open {
        private final ObservedCallState state;
        private final ObservedCallState previous;
        private final Scope scope;

        private Open(ObservedCallState state, ObservedCallState previous, Scope scope) {
            this.state = state;
            this.previous = previous;
            this.scope = scope;
        }

        /**
         * Ends the call with its result ({@code failure} null) or its failure: closes the scope first, as
         * Micrometer wants it closed before the stop, gives the thread its previous call back, then stops.
         */
        void close(Throwable failure) {
            try {
                scope.close();
            } catch (Throwable closing) { // as try-with-resources: kept beside a failure, else the call's failure
                if (failure == null) {
                    restore(previous);
                    state.stop(closing);
                    throw closing;
                }
                failure.addSuppressed(closing);
            }
            restore(previous);
            state.stop(failure);
        }
    }

    /** Attempt {@code attempt} failed with {@code cause} (null: its result was rejected) and is tried again. */
    synchronized void retry(int attempt, Throwable cause) {
        attemptFailed(attempt, cause);
        tell(CallEvent.RETRY, attempt, cause);
    }

    /** Attempt {@code attempt} failed with {@code cause}: told when a policy rejected it. */
    synchronized void attemptFailed(int attempt, Throwable cause) {
        if (isRejection(cause) && !(lastEvent == CallEvent.REJECTED && lastCause == cause)) {
            tell(CallEvent.REJECTED, attempt, cause);
        }
    }

    /** The call failed with {@code cause} and its fallback chain is called. */
    synchronized void fallback(Throwable cause) {
        attemptFailed(0, cause);
        tell(CallEvent.FALLBACK, 0, cause);
    }

    /** The call was answered by a fallback ({@link CallOutcome#FALLBACK}) or from the store ({@link CallOutcome#STALE}). */
    synchronized void answeredBy(CallOutcome outcome) {
        answeredBy = outcome;
    }

    /** Ends the observation with the call's outcome: its result ({@code failure} null) or its failure. Once. */
    void stop(Throwable failure) {
        CallOutcome outcome;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (failure == null) {
                outcome = answeredBy != null ? answeredBy : CallOutcome.SUCCESS;
            } else {
                attemptFailed(0, failure);
                outcome = outcomeOf(failure);
            }
        }
        call.stop(outcome, failure);
    }

    private void tell(CallEvent event, int attempt, Throwable cause) {
        lastEvent = event;
        lastCause = cause;
        call.event(event, attempt, cause);
    }

    static CallOutcome outcomeOf(Throwable failure) {
        if (failure instanceof CallTimeoutException) {
            return CallOutcome.TIMEOUT;
        }
        if (failure instanceof FeatureDegradedException) {
            return CallOutcome.SHED;
        }
        return failure instanceof ResilienceException ? CallOutcome.REJECTED : CallOutcome.FAILURE;
    }

    /** A rejection by a policy: an open breaker, a full bulkhead, no permit, a shed feature (not a timeout). */
    private static boolean isRejection(Throwable failure) {
        return failure instanceof ResilienceException && !(failure instanceof CallTimeoutException);
    }
}
