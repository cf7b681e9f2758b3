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
 * between them in {@link PolicyKind}'s order (a rate limiter, a timeout or an inner {@code @LastKnownGood} splits
 * them into two such steps). They keep that order: fallback ( degradable ( retry ( breaker ( bulkhead ( next ) ) ) ) ).
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
    // What a call's stage refers to while an attempt holds no breaker permit, and once it follows the fallback's.
    private final Admission unguarded = new Admission(this, null);
    private final Admission recovering = new Admission(this, null);
    // The admission of the breaker's latest permit: one per breaker state entered, not one per call (a racy cache).
    private volatile Admission admitted = unguarded;

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

    /*
     * One factory per kind, called innermost kind first: each adds its policy to next when next is a fused step whose
     * policies are all inside it, else starts a new fused step around next.
     */

    static FusedStep bulkhead(Bulkhead bulkhead, AsyncStep next) {
        return new FusedStep(null, null, null, null, null, null, bulkhead, next);
    }

    static FusedStep circuitBreaker(CircuitBreaker breaker, AsyncStep next) {
        return next instanceof FusedStep inner && inner.breaker == null && inner.retry == null
                && inner.feature == null && inner.fallback == null
                ? new FusedStep(null, null, null, null, null, breaker, inner.bulkhead, inner.next)
                : new FusedStep(null, null, null, null, null, breaker, null, next);
    }

    static FusedStep retry(Retry retry, Scheduler scheduler, AsyncStep next) {
        Reinvocation reinvocation = new Reinvocation();
        return next instanceof FusedStep inner && inner.retry == null && inner.feature == null
                && inner.fallback == null
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

    @Override
    CompletableFuture<Object> proceed(MethodInvocation invocation) {
        if (feature != null) {
            try {
                feature.checkAvailable();
            } catch (FeatureDegradedException shed) {
                return fallback == null ? CompletableFuture.failedFuture(shed)
                        : call(invocation, Retry.NOT_TIMED, false).giveUp(null, shed);
            }
        }
        long retryStart = retry == null ? Retry.NOT_TIMED : retry.begin();
        boolean copies = retry != null && !reinvocation.reusable(invocation);
        Object permit = null;
        long start = 0;
        if (breaker != null) {
            permit = breaker.tryAcquirePermission();
            if (permit == null) {
                Call call = call(invocation, retryStart, copies);
                call.attempted(null, rejection());
                return call;
            }
            start = breaker.now();
        }
        MethodInvocation attempt = copies ? Reinvocation.copy(invocation) : invocation;
        boolean held = bulkhead != null && bulkhead.tryAcquire();
        CompletableFuture<Object> running = bulkhead == null || held ? inside(next.proceed(attempt))
                : waitForSlot(attempt);
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
                return broken == null ? running : call(invocation, retryStart, copies).giveUp(null, broken);
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
            Call call = call(invocation, retryStart, copies);
            call.retryOrGiveUp(result, broken);
            return call;
        }
        if (!held && permit == null && retry == null && fallback == null) {
            return running; // nothing to do when it completes: a slot waited for is returned by its own stage
        }
        Call call = call(invocation, retryStart, copies);
        call.follow(running, admission(permit), start);
        return call;
    }

    private CircuitBreakerOpenException rejection() {
        return new CircuitBreakerOpenException(breaker.getName(), breaker.getState());
    }

    /** This step with {@code permit}, the breaker's permit of an attempt (or null). */
    private Admission admission(Object permit) {
        if (permit == null) {
            return unguarded;
        }
        Admission last = admitted;
        if (last.permit() != permit) {
            last = new Admission(this, permit);
            admitted = last;
        }
        return last;
    }

    /**
     * A call's own stage, made on the calling thread: with room for the observed call, the caller's context, a
     * timed retry's start and copied invocations only when the call has one of them.
     */
    private Call call(MethodInvocation invocation, long retryStart, boolean copies) {
        ObservedCallState observed = fallback != null || retry != null ? ObservedCallState.current() : null;
        Scheduler later = retry == null ? null : CarryingScheduler.pinnedToCaller(scheduler);
        return observed == null && later == scheduler && retryStart == Retry.NOT_TIMED && !copies
                ? new Call(unguarded, invocation)
                : new CarryingCall(unguarded, invocation, observed, later, retryStart, copies);
    }

    /**
     * Waits for a slot of the bulkhead (rejected at once or after its wait) without a thread: the stage answered
     * starts the rest once the slot is granted, returns the slot itself when the rest completes, and gives the slot
     * back if its caller gave up first.
     */
    private SlotWait waitForSlot(MethodInvocation invocation) {
        CompletableFuture<Void> slot = bulkhead.acquireAsync().toCompletableFuture();
        SlotWait outcome = new SlotWait();
        slot.whenComplete((granted, failure) -> {
            if (failure != null) {
                outcome.completeExceptionally(FallbackChain.unwrap(failure));
            } else if (!outcome.start(() -> holdingSlot(invocation))) {
                bulkhead.release(); // granted just as its caller gave up
            }
        });
        outcome.onAbandon(() -> slot.cancel(false));
        return outcome;
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

    /** The stage of an attempt that waited for its slot: it returns the slot itself, the call's stage does not. */
    private static final class SlotWait extends Deferred {
    }

    /**
     * What the rest answered for an attempt that did not wait for a slot, as a stage its call may follow: a call
     * following a {@link SlotWait} takes it for its own attempt's wait and leaves the slot to it, so a method that
     * answers another guarded call still waiting for its slot (or itself, called again through the proxy) has that
     * stage followed through a relay, and its call returns its own slot.
     */
    private static CompletableFuture<Object> inside(CompletableFuture<Object> running) {
        return running instanceof SlotWait ? new Relay().follow(running) : running;
    }

    /**
     * A fused step and the breaker's permit of an attempt: what a call's stage needs of both, in one field. Made
     * once per breaker state entered (see {@link #admission}), not per call.
     */
    private record Admission(FusedStep step, Object permit) {
    }

    /**
     * One call whose stage was not answered at once, and that stage: it follows the stage of the attempt in flight,
     * then the fallback's. Cancelling it cancels that stage (see {@link Outcome}); the attempt's slot and permit are
     * given back when that stage completes, which is exactly once per attempt. A retry's next attempt runs on the
     * scheduler and starts only while this stage is not done.
     *
     * <p>Kept to 40 bytes, the size that keeps a stacked call still running within 200 B/op: three references and
     * the breaker's start. The step and the permit share one ({@link Admission}), a slot taken at once is told
     * from one waited for by the stage followed ({@link SlotWait}), the attempt's number is kept only once there
     * is a second ({@link Retrying}), and what only some calls need lives in {@link CarryingCall}.
     */
    private static class Call extends Outcome {
        // The step, and the breaker's permit of the attempt in flight; the step's `recovering` once the fallback's
        // stage is followed. Written by the thread that starts an attempt or settles it; the completion of the stage
        // followed and the scheduler's hand-over order those writes.
        private Admission admission;
        // The proxy's invocation (proceeded by every attempt, or copied for each); a Retrying after the first.
        private Object attempts;
        // The breaker's start of the attempt in flight.
        private long start;

        Call(Admission admission, MethodInvocation invocation) {
            this.admission = admission;
            this.attempts = invocation;
        }

        ObservedCallState observed() {
            return null;
        }

        Scheduler later() {
            return admission.step().scheduler;
        }

        long retryStart() {
            return Retry.NOT_TIMED;
        }

        boolean copies() {
            return false;
        }

        private MethodInvocation invocation() {
            return attempts instanceof Retrying retrying ? retrying.invocation : (MethodInvocation) attempts;
        }

        private int attempt() {
            return attempts instanceof Retrying retrying ? retrying.attempt : 1;
        }

        /** Follows the attempt's {@code running} stage, admitted with {@code admission} at {@code start}. */
        void follow(CompletableFuture<Object> running, Admission admission, long start) {
            this.admission = admission;
            this.start = start;
            follow(running);
        }

        @Override
        void settle(Object result, Throwable failure) {
            Admission admitted = admission;
            FusedStep step = admitted.step();
            if (admitted == step.recovering) {
                recovered(result, failure);
                return;
            }
            // The attempt's outcome, innermost part first.
            if (step.bulkhead != null && !(following() instanceof SlotWait)) {
                step.bulkhead.release();
            }
            Throwable cause = failure == null ? null : FallbackChain.unwrap(failure);
            Object permit = admitted.permit();
            if (permit != null) {
                if (cause == null) {
                    try {
                        step.breaker.onSuccess(permit, start, result);
                    } catch (ResultPredicateException broken) { // recorded; it must reach the caller, not vanish
                        cause = broken;
                    }
                } else if (isCancelled()) {
                    step.breaker.releasePermission(permit); // its caller cancelled: the call counts as nothing
                } else {
                    step.breaker.onResult(permit, start, cause);
                }
            }
            attempted(result, cause);
        }

        /** The retry's part, after an attempt answered {@code result} or failed with {@code cause}. */
        void attempted(Object result, Throwable cause) {
            Retry retry = admission.step().retry;
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
            FusedStep step = admission.step();
            int attempt = attempt();
            long delay = cause == null ? step.retry.delayBeforeRetryOnResult(attempt, retryStart())
                    : step.retry.delayBeforeRetry(attempt, retryStart(), cause);
            if (delay == Retry.NO_RETRY || !copies() && !step.reinvocation.stillReusable(invocation())) {
                step.retry.onFailure(attempt);
                giveUp(result, cause);
                return;
            }
            ObservedCallState observed = observed();
            if (observed != null) {
                observed.retry(attempt, cause);
            }
            if (!(attempts instanceof Retrying)) {
                attempts = new Retrying((MethodInvocation) attempts);
            }
            later().schedule(this::attemptAgain, delay);
        }

        private void attemptAgain() {
            if (isDone()) {
                return;
            }
            FusedStep step = admission.step();
            Retrying retrying = (Retrying) attempts;
            retrying.attempt++;
            if (!step.targetChecked) {
                step.targetChecked = true;
                Reinvocation.warnIfTargetReleased(retrying.invocation);
            }
            Object permit = null;
            long started = 0;
            if (step.breaker != null) {
                permit = step.breaker.tryAcquirePermission();
                if (permit == null) {
                    admission = step.unguarded;
                    attempted(null, step.rejection());
                    return;
                }
                started = step.breaker.now();
            }
            MethodInvocation attempt = copies() ? Reinvocation.copy(retrying.invocation) : retrying.invocation;
            boolean held = step.bulkhead != null && step.bulkhead.tryAcquire();
            follow(step.bulkhead == null || held ? inside(step.next.proceed(attempt)) : step.waitForSlot(attempt),
                    step.admission(permit), started);
        }

        /**
         * The fallback's part, once the attempts answered {@code result} or failed with {@code cause}; returns this
         * stage.
         */
        Call giveUp(Object result, Throwable cause) {
            FusedStep step = admission.step();
            if (cause == null) {
                complete(result);
            } else if (step.fallback == null || isDone()) { // a caller that gave up wants no fallback either
                completeExceptionally(cause);
            } else {
                ObservedCallState observed = observed();
                if (observed != null && step.fallback.appliesTo(cause)) {
                    observed.fallback(cause);
                }
                MethodInvocation invocation = invocation();
                admission = step.recovering;
                follow(toFuture(step.fallback.recoverAsync(invocation.getThis(), invocation.getArguments(), cause)));
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

    /** A call's attempts after the first: the invocation they proceed, and the number of the latest. */
    private static final class Retrying {
        private final MethodInvocation invocation;
        // Written by the thread that starts an attempt; the scheduler's hand-over orders those writes.
        private int attempt = 1;

        Retrying(MethodInvocation invocation) {
            this.invocation = invocation;
        }
    }

    /**
     * A call that also carries its observed call, its caller's context for retries, a timed retry's start, or
     * copies the invocation for each attempt.
     */
    private static final class CarryingCall extends Call {
        private final ObservedCallState observed;
        private final Scheduler later;
        private final long retryStart;
        private final boolean copies;

        CarryingCall(Admission admission, MethodInvocation invocation, ObservedCallState observed, Scheduler later,
                long retryStart, boolean copies) {
            super(admission, invocation);
            this.observed = observed;
            this.later = later;
            this.retryStart = retryStart;
            this.copies = copies;
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

        @Override
        boolean copies() {
            return copies;
        }
    }
}
