package dev.resilience.autoconfigure.aop;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.core.GuardedCallObserver.CallOutcome;
import dev.resilience.core.ResultPredicateException;
import dev.resilience.core.Scheduler;
import dev.resilience.degradation.Feature;
import dev.resilience.degradation.FeatureDegradedException;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.retry.Retry;
import java.util.concurrent.CompletableFuture;
import org.aopalliance.intercept.MethodInvocation;

/**
 * {@code @Fallback}, {@code @Degradable}, {@code @Retry}, {@code @CircuitBreaker} and {@code @Bulkhead} of a
 * {@code CompletionStage} method as one step: whichever of them the method has, as long as no other kind sits
 * between them in {@link PolicyKind}'s order (a rate limiter or a timeout splits them into two such steps). They
 * keep that order: fallback ( degradable ( retry ( breaker ( bulkhead ( next ) ) ) ) ).
 *
 * <p>A call whose stage is still running when the method returns it gets one stage of its own ({@link Call}), which
 * holds each policy's part of the call in fields and follows the method's stage with one completion callback; one
 * step per policy would make a stage and a callback each. When the method's stage completes, the call does the
 * policies' parts innermost first (returns the slot, records the breaker's outcome, retries or gives up, falls back)
 * before its own stage completes. A call answered at once makes nothing of its own, as each step did before.
 */
final class FusedStep extends AsyncStep {

    private final FallbackChain fallback;
    private final Feature feature;
    private final Retry retry;
    private final Scheduler scheduler;
    private final Reinvocation reinvocation;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final AsyncStep next;
    /** Whether a later attempt has run yet, and so whether the proxy's target source was checked. */
    private volatile boolean targetChecked;

    private FusedStep(FallbackChain fallback, Feature feature, Retry retry, Scheduler scheduler,
            Reinvocation reinvocation, CircuitBreaker breaker, Bulkhead bulkhead, AsyncStep next) {
        this.fallback = fallback;
        this.feature = feature;
        this.retry = retry;
        this.scheduler = scheduler;
        this.reinvocation = reinvocation;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
        this.next = next;
    }

    static FusedStep bulkhead(Bulkhead bulkhead, AsyncStep next) {
        return new FusedStep(null, null, null, null, null, null, bulkhead, next);
    }

    /** {@code breaker} around {@code next}: added to {@code next} when that is a fused step it can go around. */
    static FusedStep circuitBreaker(CircuitBreaker breaker, AsyncStep next) {
        return next instanceof FusedStep inner && inner.breaker == null && inner.outerToBreakerFree()
                ? new FusedStep(null, null, null, null, null, breaker, inner.bulkhead, inner.next)
                : new FusedStep(null, null, null, null, null, breaker, null, next);
    }

    static FusedStep retry(Retry retry, Scheduler scheduler, AsyncStep next) {
        Reinvocation reinvocation = new Reinvocation();
        return next instanceof FusedStep inner && inner.outerToBreakerFree()
                ? new FusedStep(null, null, retry, scheduler, reinvocation, inner.breaker, inner.bulkhead, inner.next)
                : new FusedStep(null, null, retry, scheduler, reinvocation, null, null, next);
    }

    static FusedStep degradable(Feature feature, AsyncStep next) {
        return next instanceof FusedStep inner && inner.fallback == null && inner.feature == null
                ? new FusedStep(null, feature, inner.retry, inner.scheduler, inner.reinvocation, inner.breaker,
                        inner.bulkhead, inner.next)
                : new FusedStep(null, feature, null, null, null, null, null, next);
    }

    static FusedStep fallback(FallbackChain chain, AsyncStep next) {
        return next instanceof FusedStep inner && inner.fallback == null
                ? new FusedStep(chain, inner.feature, inner.retry, inner.scheduler, inner.reinvocation,
                        inner.breaker, inner.bulkhead, inner.next)
                : new FusedStep(chain, null, null, null, null, null, null, next);
    }

    private boolean outerToBreakerFree() {
        return retry == null && feature == null && fallback == null;
    }

    @Override
    CompletableFuture<Object> proceed(MethodInvocation invocation) {
        if (feature != null) {
            try {
                feature.checkAvailable();
            } catch (FeatureDegradedException shed) {
                return fallback == null ? CompletableFuture.failedFuture(shed)
                        : call(invocation, Retry.NOT_TIMED, 0).giveUp(null, shed);
            }
        }
        long retryStart = retry == null ? Retry.NOT_TIMED : retry.begin();
        int flags = retry != null && !reinvocation.reusable(invocation) ? Call.COPIES : 0;
        Object permit = null;
        long start = 0;
        if (breaker != null) {
            permit = breaker.tryAcquirePermission();
            if (permit == null) {
                Call call = call(invocation, retryStart, flags);
                call.attempted(null, rejection());
                return call;
            }
            start = breaker.now();
        }
        MethodInvocation attempt = flags != 0 ? Reinvocation.copy(invocation) : invocation;
        boolean held = bulkhead != null && bulkhead.tryAcquire();
        CompletableFuture<Object> running = bulkhead == null || held ? next.proceed(attempt) : waitForSlot(attempt);
        if (answered(running)) {
            // Already answered, as a cached or synchronously computed stage is: each part is done here, and a good
            // answer is the caller's stage itself (nothing left to cancel or wait for), so no stage is made.
            Object result = running.join();
            if (held) {
                bulkhead.release();
            }
            Throwable broken = null;
            if (permit != null) {
                try {
                    breaker.onSuccess(permit, start, result);
                } catch (ResultPredicateException failure) { // recorded; it must reach the caller
                    broken = failure;
                }
            }
            if (retry == null) {
                return broken == null ? running : call(invocation, retryStart, flags).giveUp(null, broken);
            }
            if (broken == null) {
                try {
                    if (!retry.rejects(result)) {
                        retry.onSuccess(1);
                        return running;
                    }
                } catch (ResultPredicateException failure) {
                    broken = failure; // fails the attempt like any failure (and is not retried)
                }
            }
            Call call = call(invocation, retryStart, flags);
            call.retryOrGiveUp(result, broken);
            return call;
        }
        if (!held && permit == null && retry == null && fallback == null) {
            return running; // nothing to do when it completes: a slot waited for is returned by its own stage
        }
        Call call = call(invocation, retryStart, flags);
        call.follow(running, permit, start, held);
        return call;
    }

    private CircuitBreakerOpenException rejection() {
        return new CircuitBreakerOpenException(breaker.getName(), breaker.getState());
    }

    /**
     * A call's own stage, made on the calling thread: with room for the observed call, the caller's context and
     * the retry's start only when the call has one of them.
     */
    private Call call(MethodInvocation invocation, long retryStart, int flags) {
        ObservedCallState observed = fallback != null || retry != null ? ObservedCallState.current() : null;
        Scheduler later = retry == null ? null : CarryingScheduler.pinnedToCaller(scheduler);
        return observed == null && later == scheduler && retryStart == Retry.NOT_TIMED
                ? new Call(invocation, flags) : new CarryingCall(invocation, flags, observed, later, retryStart);
    }

    /**
     * Waits for a slot of the bulkhead (rejected at once or after its wait) without a thread: the stage answered
     * starts the rest once the slot is granted, returns the slot itself when the rest completes, and gives the slot
     * back if its caller gave up first.
     */
    private CompletableFuture<Object> waitForSlot(MethodInvocation invocation) {
        CompletableFuture<Void> slot = bulkhead.acquireAsync().toCompletableFuture();
        if (slot.isDone() && !slot.isCompletedExceptionally()) {
            return holdingSlot(invocation);
        }
        Deferred outcome = new Deferred();
        slot.whenComplete((granted, failure) -> {
            if (failure != null) {
                outcome.completeExceptionally(FallbackChain.unwrap(failure));
            } else if (!outcome.start(() -> holdingSlot(invocation))) {
                bulkhead.release(); // granted just as its caller gave up
            }
        });
        return outcome.onAbandon(() -> slot.cancel(false));
    }

    /** Runs the rest with a slot taken, and returns the slot when the method's own stage completes. */
    private CompletableFuture<Object> holdingSlot(MethodInvocation invocation) {
        CompletableFuture<Object> running = next.proceed(invocation);
        if (answered(running)) {
            bulkhead.release();
            return running;
        }
        return new Releasing().follow(running);
    }

    private final class Releasing extends Relay {
        @Override
        void settle(Object result, Throwable failure) {
            bulkhead.release();
            super.settle(result, failure);
        }
    }

    /**
     * One call whose stage was not answered at once, and that stage: it follows the stage of the attempt in flight,
     * then the fallback's. Cancelling it cancels that stage (see {@link Outcome}); the attempt's slot and permit are
     * given back when that stage completes, which is exactly once per attempt. A retry's next attempt runs on the
     * scheduler and starts only while this stage is not done.
     *
     * <p>Kept small on purpose (48 bytes): what only some calls need lives in {@link CarryingCall}.
     */
    private class Call extends Outcome {
        /** In {@link #state}: the slot of the attempt in flight is to be returned when it completes. */
        static final int HELD = 1;
        /** In {@link #state}: this stage follows the fallback's, the attempts are over. */
        static final int RECOVERING = 2;
        /** In {@link #state}: each attempt proceeds a copy of the invocation (see {@link Reinvocation}). */
        static final int COPIES = 4;
        private static final int ATTEMPT = 8; // the attempt's number counts in units of this, above the flags

        /** The proxy's invocation: proceeded by every attempt, or copied for each when {@link #COPIES}. */
        private final MethodInvocation invocation;
        // The breaker's permit and start of the attempt in flight (null without a breaker or after a rejection).
        private Object permit;
        private long start;
        // The attempt's number and the flags above. Written by the thread that starts an attempt or settles it; the
        // completion of the stage followed and the scheduler's hand-over order those.
        private int state;

        Call(MethodInvocation invocation, int flags) {
            this.invocation = invocation;
            this.state = ATTEMPT | flags;
        }

        ObservedCallState observed() {
            return null;
        }

        Scheduler later() {
            return scheduler;
        }

        long retryStart() {
            return Retry.NOT_TIMED;
        }

        private int attempt() {
            return state / ATTEMPT;
        }

        /** Follows the attempt's {@code running} stage, which holds {@code permit} and (when {@code held}) a slot. */
        void follow(CompletableFuture<Object> running, Object permit, long start, boolean held) {
            this.permit = permit;
            this.start = start;
            this.state = held ? state | HELD : state & ~HELD;
            follow(running);
        }

        @Override
        void settle(Object result, Throwable failure) {
            if ((state & RECOVERING) != 0) {
                recovered(result, failure);
                return;
            }
            // The attempt's outcome, innermost part first.
            if ((state & HELD) != 0) {
                state &= ~HELD;
                bulkhead.release();
            }
            Throwable cause = failure == null ? null : FallbackChain.unwrap(failure);
            Object held = permit;
            if (held != null) {
                if (cause == null) {
                    try {
                        breaker.onSuccess(held, start, result);
                    } catch (ResultPredicateException broken) { // recorded; it must reach the caller, not vanish
                        cause = broken;
                    }
                } else if (isCancelled()) {
                    breaker.releasePermission(held); // its caller cancelled: the call counts as nothing
                } else {
                    breaker.onResult(held, start, cause);
                }
            }
            attempted(result, cause);
        }

        /** The retry's part, after an attempt answered {@code result} or failed with {@code cause}. */
        void attempted(Object result, Throwable cause) {
            if (retry == null) {
                giveUp(result, cause);
                return;
            }
            if (isDone()) { // a caller that gave up wants no more attempts
                return;
            }
            Throwable failure = cause;
            if (failure == null) {
                try {
                    if (!retry.rejects(result)) {
                        retry.onSuccess(attempt());
                        complete(result);
                        return;
                    }
                } catch (ResultPredicateException broken) {
                    failure = broken; // fails the attempt like any failure (and is not retried)
                }
            }
            retryOrGiveUp(result, failure);
        }

        /** After an attempt that failed with {@code cause}, or whose {@code result} a predicate rejected. */
        void retryOrGiveUp(Object result, Throwable cause) {
            int attempt = attempt();
            long delay = cause == null ? retry.delayBeforeRetryOnResult(attempt, retryStart())
                    : retry.delayBeforeRetry(attempt, retryStart(), cause);
            if (delay == Retry.NO_RETRY || (state & COPIES) == 0 && !reinvocation.stillReusable(invocation)) {
                retry.onFailure(attempt);
                giveUp(result, cause);
                return;
            }
            ObservedCallState observed = observed();
            if (observed != null) {
                observed.retry(attempt, cause);
            }
            later().schedule(this::attemptAgain, delay);
        }

        private void attemptAgain() {
            if (isDone()) {
                return;
            }
            state += ATTEMPT;
            if (!targetChecked) {
                targetChecked = true;
                Reinvocation.warnIfTargetReleased(invocation);
            }
            Object taken = null;
            long started = 0;
            if (breaker != null) {
                taken = breaker.tryAcquirePermission();
                if (taken == null) {
                    permit = null;
                    attempted(null, rejection());
                    return;
                }
                started = breaker.now();
            }
            MethodInvocation attempt = (state & COPIES) != 0 ? Reinvocation.copy(invocation) : invocation;
            boolean held = bulkhead != null && bulkhead.tryAcquire();
            follow(bulkhead == null || held ? next.proceed(attempt) : waitForSlot(attempt), taken, started, held);
        }

        /**
         * The fallback's part, once the attempts answered {@code result} or failed with {@code cause}; returns this
         * stage.
         */
        Call giveUp(Object result, Throwable cause) {
            if (cause == null) {
                complete(result);
            } else if (fallback == null || isDone()) { // a caller that gave up wants no fallback either
                completeExceptionally(cause);
            } else {
                ObservedCallState observed = observed();
                if (observed != null && fallback.appliesTo(cause)) {
                    observed.fallback(cause);
                }
                state |= RECOVERING;
                follow(toFuture(fallback.recoverAsync(invocation.getThis(), invocation.getArguments(), cause)));
            }
            return this;
        }

        private void recovered(Object answer, Throwable exhausted) {
            if (exhausted != null) {
                fail(exhausted);
                return;
            }
            ObservedCallState observed = observed();
            if (observed != null) {
                observed.answeredBy(CallOutcome.FALLBACK);
            }
            complete(answer);
        }
    }

    /** A call that also carries its observed call, its caller's context for retries, or a timed retry's start. */
    private final class CarryingCall extends Call {
        private final ObservedCallState observed;
        private final Scheduler later;
        private final long retryStart;

        CarryingCall(MethodInvocation invocation, int flags, ObservedCallState observed, Scheduler later,
                long retryStart) {
            super(invocation, flags);
            this.observed = observed;
            this.later = later;
            this.retryStart = retryStart;
        }

        @Override
        ObservedCallState observed() {
            return observed;
        }

        @Override
        Scheduler later() {
            return later;
        }

        @Override
        long retryStart() {
            return retryStart;
        }
    }
}
