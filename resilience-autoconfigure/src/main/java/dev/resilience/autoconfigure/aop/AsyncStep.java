package dev.resilience.autoconfigure.aop;

import dev.resilience.ResilienceContext;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.chaos.Chaos;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.GuardedCallObserver;
import dev.resilience.core.GuardedCallObserver.CallOutcome;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Timing;
import dev.resilience.degradation.Feature;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.lastknowngood.LastKnownGood;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;
import dev.resilience.timeout.CallTimeoutException;
import dev.resilience.timeout.Timeout;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInvocation;

/**
 * One policy of the pipeline of a method returning {@code CompletionStage}/{@code CompletableFuture}. Policies
 * act on the stage's outcome and never block a thread: retries are scheduled, bulkhead slots are held until
 * the stage completes, breakers record on completion. Every failure, rejections included, arrives through
 * the returned stage.
 *
 * <p>A caller may give up on a stage (a timeout's deadline, a cancelled caller). Two rules keep that from leaking
 * a slot or a permit: cancelling a step's stage cancels the stage it waits on, down to the method's own future;
 * and work that has not started yet (waiting for a bulkhead slot, a reserved rate-limiter permit or an injected
 * delay) never starts once its stage is completed or cancelled from outside, and gives back what it reserved
 * ({@link Deferred}). A slot is held exactly while the method's own work may still run.
 */
abstract sealed class AsyncStep permits AsyncStep.Invoke, FusedStep, AsyncStep.RateLimiterStep, AsyncStep.TimeoutStep,
        AsyncStep.ChaosStep, AsyncStep.LastKnownGoodStep, AsyncStep.ObservationStep {

    abstract CompletableFuture<Object> proceed(MethodInvocation invocation);

    /**
     * The steps of {@code policies} (by kind index), built around the method innermost first, inside an observation
     * step when {@code observed} is not null. Here rather than in the factory, with {@link #wrap}, so that an
     * application without {@code CompletionStage} methods never loads these steps.
     */
    static AsyncStep of(Object[] policies, GuardedCallObserver.MethodObserver observed, Timing timing) {
        AsyncStep step = new Invoke();
        for (PolicyKind kind : PolicyKind.INNERMOST_FIRST) {
            Object policy = policies[kind.index()];
            if (policy != null) {
                step = wrap(kind, policy, step, timing);
            }
        }
        return observed == null ? step : new ObservationStep(observed, step);
    }

    /** The step of {@code kind} for {@code policy}, around {@code next}. */
    private static AsyncStep wrap(PolicyKind kind, Object policy, AsyncStep next, Timing timing) {
        return switch (kind) {
            case LAST_KNOWN_GOOD_AFTER_FALLBACK, LAST_KNOWN_GOOD -> new LastKnownGoodStep((LastKnownGoodPolicy) policy,
                    next);
            // Adjacent fallback, degradable, retry, breaker and bulkhead kinds make one FusedStep, so that a call
            // still running has one stage of its own.
            case FALLBACK -> FusedStep.fallback((FallbackChain) policy, next);
            case DEGRADABLE -> FusedStep.degradable((Feature) policy, next);
            case RETRY -> FusedStep.retry((Retry) policy, timing.scheduler(), next);
            case CIRCUIT_BREAKER -> FusedStep.circuitBreaker((CircuitBreaker) policy, next);
            case RATE_LIMITER -> new RateLimiterStep((RateLimiter) policy, timing.scheduler(), next);
            case TIMEOUT -> new TimeoutStep((Timeout) policy, next);
            case BULKHEAD -> FusedStep.bulkhead((Bulkhead) policy, next);
            case CHAOS -> new ChaosStep(PolicyKind.chaos(policy), timing.scheduler(), next);
        };
    }

    static final class Invoke extends AsyncStep {
        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
            Object result;
            try {
                result = invocation.proceed();
            } catch (Throwable failure) {
                return CompletableFuture.failedFuture(failure);
            }
            if (result == null) {
                return CompletableFuture.failedFuture(new NullPointerException(
                        invocation.getMethod() + " returned null instead of a CompletionStage"));
            }
            return toFuture((CompletionStage<?>) result);
        }
    }

    /**
     * A step's stage for its caller, following the stage inside: it is that stage's completion callback
     * ({@link #settle}), and cancelling it cancels the stage inside. One object per step and call, where a new
     * stage, a callback and a cancellation hook (with its own completion node and stage) would be three.
     */
    abstract static class Outcome extends CompletableFuture<Object> implements BiConsumer<Object, Throwable> {
        // Invariant: set before the stage is handed to anyone who could cancel it; replaced by the next stage it
        // follows (a retry's next attempt, a fallback's stage).
        private volatile Future<?> inner;

        /**
         * Settles this stage from {@code running}'s outcome when it completes, and lets a cancellation of this stage
         * reach {@code running} (when it can be cancelled); returns this stage.
         */
        final Outcome follow(CompletionStage<?> running) {
            if (running instanceof Future<?> cancellable) { // first: a stage already complete settles at once, and
                // settling may make this follow the next one (a retry, a fallback), which must not be undone here
                cancelsInto(cancellable);
            }
            running.whenComplete(this);
            return this;
        }

        /**
         * Lets a cancellation of this stage reach {@code running} from now on (a fallback's stage replaces the
         * method's), including one that came before.
         */
        final void cancelsInto(Future<?> running) {
            inner = running;
            if (isCancelled()) {
                running.cancel(true);
            }
        }

        @Override
        public final void accept(Object result, Throwable failure) {
            settle(result, failure);
        }

        /** The stage inside completed: {@code failure} is null when it answered {@code result}. */
        abstract void settle(Object result, Throwable failure);

        /**
         * Cancels the stage inside too. Overridden rather than hooked with {@code whenComplete}, which would cost
         * every call a completion node and a stage for the rare cancelled one.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            cancelInner();
            return cancelled;
        }

        /** A caller may cancel by completing with a {@code CancellationException}, too. */
        @Override
        public boolean completeExceptionally(Throwable failure) {
            boolean completed = super.completeExceptionally(failure);
            cancelInner();
            return completed;
        }

        /** The stage this one follows now, or null before the first. */
        final Future<?> following() {
            return inner;
        }

        private void cancelInner() {
            Future<?> running = inner;
            if (running != null && isCancelled()) {
                running.cancel(true);
            }
        }

        /** Completes with {@code failure}, unwrapped from the {@code CompletionException} stages wrap it in. */
        final void fail(Throwable failure) {
            completeExceptionally(FallbackChain.unwrap(failure));
        }
    }

    /** Passes on the outcome of the stage it follows, a failure unwrapped from its {@code CompletionException}. */
    static class Relay extends Outcome {
        @Override
        void settle(Object result, Throwable failure) {
            if (failure == null) {
                complete(result);
            } else {
                fail(failure);
            }
        }
    }

    /**
     * The stage of a step whose inner work starts later: once a bulkhead slot is granted, a reserved permit comes
     * due, or an injected delay passes. Exactly one of two things happens first: the work starts, or the caller
     * gives up (completes or cancels this stage, or {@linkplain #abandon abandons} it), and then the work never
     * starts and what was reserved for it is given back. Once started, cancelling the stage cancels the work.
     */
    static class Deferred extends Relay {
        // Invariant: set once, by whichever of start and giving up comes first.
        private final AtomicBoolean decided = new AtomicBoolean();
        private volatile Runnable undo = () -> { };

        /** Starts {@code work} and relays its outcome, unless the caller gave up first; false then. */
        boolean start(Supplier<CompletableFuture<Object>> work) {
            if (!decided.compareAndSet(false, true)) {
                return false;
            }
            CompletableFuture<Object> running;
            try {
                running = work.get();
            } catch (Throwable failure) { // the steps answer failures through their stage; this is a last guard
                completeExceptionally(failure);
                return true;
            }
            follow(running);
            return true;
        }

        /** Runs {@code undo} if the caller gives up before the work started; set once, before handing it out. */
        Deferred onAbandon(Runnable undo) {
            this.undo = undo;
            whenComplete((result, failure) -> giveUp());
            return this;
        }

        /**
         * Fails this stage with {@code reason} if its work has not started; leaves started work alone, so that a
         * later cancellation still reaches it.
         */
        void abandon(Throwable reason) {
            if (giveUp()) {
                completeExceptionally(reason);
            }
        }

        private boolean giveUp() {
            if (!decided.compareAndSet(false, true)) {
                return false;
            }
            undo.run();
            return true;
        }
    }

    /** Fault injection, innermost; an injected delay waits on the scheduler, not on a thread. */
    static final class ChaosStep extends AsyncStep {
        private final Chaos[] chaos;
        private final Scheduler scheduler;
        private final AsyncStep next;

        ChaosStep(List<Chaos> chaos, Scheduler scheduler, AsyncStep next) {
            this.chaos = chaos.toArray(Chaos[]::new);
            this.scheduler = scheduler;
            this.next = next;
        }

        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
            ChaosDraw drawn = ChaosDraw.of(chaos);
            if (drawn == null) {
                return next.proceed(invocation);
            }
            Throwable injected = drawn.failure();
            if (drawn.latencyNanos() == 0) {
                return CompletableFuture.failedFuture(injected);
            }
            Deferred outcome = new Deferred();
            Scheduler.Cancellable start = scheduler.schedule(() -> outcome.start(() -> injected != null
                    ? CompletableFuture.failedFuture(injected) : next.proceed(invocation)), drawn.latencyNanos());
            return outcome.onAbandon(start::cancel);
        }
    }

    /**
     * {@code @LastKnownGood}: stores the stage's good result when it completes and/or answers its failure from the
     * store (see {@link LastKnownGoodPolicy}). The calling thread's {@code ResilienceContext} is not told: the
     * stage may complete on any thread.
     */
    static final class LastKnownGoodStep extends AsyncStep {
        private final LastKnownGood store;
        private final CallKey key;
        private final boolean stores;
        private final boolean serves;
        private final AsyncStep next;

        LastKnownGoodStep(LastKnownGoodPolicy policy, AsyncStep next) {
            this.store = policy.store();
            this.key = policy.key();
            this.stores = policy.stores();
            this.serves = policy.serves();
            this.next = next;
        }

        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
            Object callKey;
            try {
                callKey = stores ? key.of(invocation) : null;
            } catch (RuntimeException keyFailure) {
                return CompletableFuture.failedFuture(keyFailure);
            }
            // Taken on the calling thread, recorded before the caller's stage completes (on whichever thread).
            ResilienceContext.Capture capture = serves ? ResilienceContext.takeCapture() : null;
            ObservedCallState observed = serves ? ObservedCallState.current() : null;
            CompletableFuture<Object> running = next.proceed(invocation);
            if (answered(running)) {
                if (stores) {
                    store.store(callKey, running.join());
                }
                if (capture != null) {
                    capture.record(ResilienceContext.LastCall.LIVE);
                }
                return running;
            }
            return new Remembering(invocation, callKey, capture, observed).follow(running);
        }

        private final class Remembering extends Outcome {
            private final MethodInvocation invocation;
            private final Object callKey;
            private final ResilienceContext.Capture capture;
            private final ObservedCallState observed;

            Remembering(MethodInvocation invocation, Object callKey, ResilienceContext.Capture capture,
                    ObservedCallState observed) {
                this.invocation = invocation;
                this.callKey = callKey;
                this.capture = capture;
                this.observed = observed;
            }

            @Override
            void settle(Object result, Throwable failure) {
                if (failure == null) {
                    if (stores) {
                        store.store(callKey, result);
                    }
                    if (capture != null) {
                        capture.record(ResilienceContext.LastCall.LIVE);
                    }
                    complete(result);
                    return;
                }
                Throwable cause = FallbackChain.unwrap(failure);
                LastKnownGood.Served served = null;
                if (serves && !isDone()) { // a caller that gave up wants no stored answer either
                    try {
                        served = store.recover(stores ? callKey : key.of(invocation), cause);
                    } catch (RuntimeException keyFailure) {
                        cause.addSuppressed(keyFailure);
                    }
                }
                if (capture != null) {
                    capture.record(served != null ? ResilienceContext.LastCall.stale(served.age())
                            : ResilienceContext.LastCall.LIVE);
                }
                if (served != null) {
                    if (observed != null) {
                        observed.answeredBy(CallOutcome.STALE);
                    }
                    complete(served.value());
                } else {
                    completeExceptionally(cause);
                }
            }
        }
    }

    /** Waits for a reserved permit on the scheduler, not on a thread. */
    static final class RateLimiterStep extends AsyncStep {
        private final RateLimiter limiter;
        private final Scheduler scheduler;
        private final AsyncStep next;

        RateLimiterStep(RateLimiter limiter, Scheduler scheduler, AsyncStep next) {
            this.limiter = limiter;
            this.scheduler = scheduler;
            this.next = next;
        }

        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
            long wait = limiter.reservePermission();
            if (wait == RateLimiter.REJECTED) {
                return CompletableFuture.failedFuture(limiter.rejection());
            }
            if (wait == 0) {
                return next.proceed(invocation);
            }
            Deferred outcome = new Deferred();
            Scheduler.Cancellable start = scheduler.schedule(() -> outcome.start(() -> next.proceed(invocation)), wait);
            return outcome.onAbandon(() -> {
                start.cancel();
                limiter.releasePermission();
            });
        }
    }

    static final class TimeoutStep extends AsyncStep {
        private final Timeout timeout;
        private final AsyncStep next;

        TimeoutStep(Timeout timeout, AsyncStep next) {
            this.timeout = timeout;
            this.next = next;
        }

        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
            CompletableFuture<Object> running = next.proceed(invocation);
            CompletableFuture<Object> outcome = timeout.callAsync(() -> running);
            if (running instanceof Deferred waiting && !waiting.isDone()) {
                // Still waiting for a slot or a permit at the deadline: abandoned, whatever cancel-running-future
                // says, since that setting is about work that has started.
                outcome.whenComplete((result, failure) -> {
                    if (failure instanceof CallTimeoutException) {
                        waiting.abandon(failure);
                    }
                });
            }
            return outcome;
        }
    }

    /**
     * Outermost, only in pipelines whose calls are observed: one observation per call, current on the calling thread
     * while the steps inside start, ended with the outcome of the call's stage before the caller's stage completes.
     */
    static final class ObservationStep extends AsyncStep {
        private final GuardedCallObserver.MethodObserver observer;
        private final AsyncStep next;

        ObservationStep(GuardedCallObserver.MethodObserver observer, AsyncStep next) {
            this.observer = observer;
            this.next = next;
        }

        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
            GuardedCallObserver.ObservedCall call = observer.start();
            if (call == null) {
                return next.proceed(invocation);
            }
            ObservedCallState observed = new ObservedCallState(call);
            ObservedCallState previous = observed.enter();
            CompletableFuture<Object> running;
            try (GuardedCallObserver.Scope scope = call.openScope()) {
                running = next.proceed(invocation);
            } catch (RuntimeException | Error failure) {
                ObservedCallState.restore(previous);
                observed.stop(failure);
                throw failure;
            }
            ObservedCallState.restore(previous);
            return new Observed(observed).follow(running);
        }

        private static final class Observed extends Outcome {
            private final ObservedCallState observed;

            Observed(ObservedCallState observed) {
                this.observed = observed;
            }

            @Override
            void settle(Object result, Throwable failure) {
                Throwable cause = failure == null ? null : FallbackChain.unwrap(failure);
                observed.stop(cause);
                if (cause == null) {
                    complete(result);
                } else {
                    completeExceptionally(cause);
                }
            }
        }
    }

    /**
     * The class of {@code CompletableFuture.completedStage}'s and {@code minimalCompletionStage}'s stages: a
     * {@code CompletableFuture} whose methods beyond {@code CompletionStage}'s (isDone, join, cancel) all throw.
     */
    private static final Class<?> MINIMAL_STAGE = CompletableFuture.completedStage(null).getClass();

    @SuppressWarnings("unchecked")
    static CompletableFuture<Object> toFuture(CompletionStage<?> stage) {
        if (stage.getClass() == MINIMAL_STAGE) {
            return (CompletableFuture<Object>) stage.toCompletableFuture(); // a copy that allows them
        }
        if (stage instanceof CompletableFuture<?> future) {
            return (CompletableFuture<Object>) future;
        }
        return new Relay().follow(stage);
    }

    /**
     * Whether {@code stage} already holds a good answer when the step gets it (a cached or synchronously computed
     * stage). A step then does its part at once and hands the stage itself on: there is nothing left to wait for
     * or cancel, so it makes no stage or completion node of its own.
     */
    static boolean answered(CompletableFuture<Object> stage) {
        return stage.isDone() && !stage.isCompletedExceptionally();
    }
}
