package dev.resilience.autoconfigure.aop;

import dev.resilience.ResilienceContext;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.chaos.Chaos;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.core.GuardedCallObserver;
import dev.resilience.core.GuardedCallObserver.CallOutcome;
import dev.resilience.core.ResultPredicateException;
import dev.resilience.core.Scheduler;
import dev.resilience.degradation.Feature;
import dev.resilience.degradation.FeatureDegradedException;
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
abstract sealed class AsyncStep permits AsyncStep.Invoke, AsyncStep.FallbackStep, AsyncStep.DegradableStep, AsyncStep.RetryStep,
        AsyncStep.CircuitBreakerStep, AsyncStep.RateLimiterStep, AsyncStep.TimeoutStep, AsyncStep.BulkheadStep,
        AsyncStep.ChaosStep, AsyncStep.LastKnownGoodStep, AsyncStep.ObservationStep {

    abstract CompletableFuture<Object> proceed(MethodInvocation invocation);

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
        // Invariant: set before the stage is handed to anyone who could cancel it, replaced only by a fallback's.
        private volatile Future<?> inner;

        /**
         * Settles this stage from {@code running}'s outcome when it completes, and lets a cancellation of this stage
         * reach {@code running} (when it can be cancelled); returns this stage.
         */
        final Outcome follow(CompletionStage<?> running) {
            running.whenComplete(this);
            if (running instanceof Future<?> cancellable) {
                cancelsInto(cancellable);
            }
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
    static final class Deferred extends Relay {
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
            long latency = 0;
            Throwable failure = null;
            for (Chaos each : chaos) {
                latency += each.drawLatencyNanos();
                failure = failure != null ? failure : each.drawFailure();
            }
            if (latency == 0) {
                return failure != null ? CompletableFuture.failedFuture(failure) : next.proceed(invocation);
            }
            Throwable injected = failure;
            Deferred outcome = new Deferred();
            Scheduler.Cancellable start = scheduler.schedule(() -> outcome.start(() -> injected != null
                    ? CompletableFuture.failedFuture(injected) : next.proceed(invocation)), latency);
            return outcome.onAbandon(start::cancel);
        }
    }

    static final class FallbackStep extends AsyncStep {
        private final FallbackChain chain;
        private final AsyncStep next;

        FallbackStep(FallbackChain chain, AsyncStep next) {
            this.chain = chain;
            this.next = next;
        }

        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
            ObservedCallState observed = ObservedCallState.current(); // the calling thread's; callbacks run elsewhere
            CompletableFuture<Object> running = next.proceed(invocation);
            if (answered(running)) {
                return running;
            }
            return new Recovering(invocation, observed).follow(running);
        }

        private final class Recovering extends Outcome {
            private final MethodInvocation invocation;
            private final ObservedCallState observed;

            Recovering(MethodInvocation invocation, ObservedCallState observed) {
                this.invocation = invocation;
                this.observed = observed;
            }

            @Override
            void settle(Object result, Throwable failure) {
                if (failure == null) {
                    complete(result);
                    return;
                }
                if (isDone()) { // a caller that gave up wants no fallback either
                    return;
                }
                if (observed != null && chain.appliesTo(FallbackChain.unwrap(failure))) {
                    observed.fallback(FallbackChain.unwrap(failure));
                }
                CompletableFuture<Object> recovered = toFuture(chain.recoverAsync(invocation.getThis(),
                        invocation.getArguments(), failure));
                recovered.whenComplete((answer, exhausted) -> {
                    if (exhausted != null) {
                        fail(exhausted);
                        return;
                    }
                    if (observed != null) {
                        observed.answeredBy(CallOutcome.FALLBACK);
                    }
                    complete(answer);
                });
                cancelsInto(recovered);
            }
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

    static final class DegradableStep extends AsyncStep {
        private final Feature feature;
        private final AsyncStep next;

        DegradableStep(Feature feature, AsyncStep next) {
            this.feature = feature;
            this.next = next;
        }

        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
            try {
                feature.checkAvailable();
            } catch (FeatureDegradedException shed) {
                return CompletableFuture.failedFuture(shed);
            }
            return next.proceed(invocation);
        }
    }

    static final class RetryStep extends AsyncStep {
        private final Retry retry;
        private final Scheduler scheduler;
        private final AsyncStep next;
        private final Reinvocation reinvocation = new Reinvocation();
        /** Whether a later attempt has run yet, and so whether the proxy's target source was checked. */
        private volatile boolean targetChecked;

        RetryStep(Retry retry, Scheduler scheduler, AsyncStep next) {
            this.retry = retry;
            this.scheduler = scheduler;
            this.next = next;
        }

        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
            long start = retry.begin();
            boolean reused = reinvocation.reusable(invocation);
            CompletableFuture<Object> first = next.proceed(reused ? invocation : Reinvocation.copy(invocation));
            if (!answered(first)) {
                Attempts attempts = new Attempts(start, invocation, reused);
                attempts.follow(1, first);
                return attempts;
            }
            // Already answered, as a cached or synchronously computed stage is: settled here, and a good answer
            // is the caller's stage itself (nothing left to cancel or wait for), so no stage of our own is made.
            Object result = first.join();
            Throwable broken = null;
            try {
                if (!retry.rejects(result)) {
                    retry.onSuccess(1);
                    return first;
                }
            } catch (ResultPredicateException failure) {
                broken = failure; // fails the attempt like any failure (and is not retried)
            }
            Attempts attempts = new Attempts(start, invocation, reused);
            attempts.retryOrGiveUp(1, result, broken);
            return attempts;
        }

        /**
         * One call's attempts after the first, and its outcome. Cancelling it cancels the attempt in flight and
         * schedules no more; completing it from outside schedules no more.
         */
        private final class Attempts extends CompletableFuture<Object> {
            private final long start;
            // The observed call this retry belongs to, taken on the calling thread; null when not observed.
            private final ObservedCallState observed = ObservedCallState.current();
            // Runs the retries with the caller's context (where one is carried), taken now on the calling thread.
            private final Scheduler later = CarryingScheduler.pinnedToCaller(scheduler);
            /** The proxy's invocation: proceeded by every attempt when {@code reused}, else copied for each. */
            private final MethodInvocation invocation;
            private final boolean reused;
            private volatile CompletableFuture<Object> inFlight;

            Attempts(long start, MethodInvocation invocation, boolean reused) {
                this.start = start;
                this.invocation = invocation;
                this.reused = reused;
            }

            /**
             * Cancels the attempt in flight too. Overridden rather than hooked with {@code whenComplete}, which
             * would cost every call a completion node and a dependent stage for the rare cancelled one.
             */
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                CompletableFuture<Object> running = inFlight;
                if (running != null && isCancelled()) {
                    running.cancel(true);
                }
                return cancelled;
            }

            void attempt(int attempt) {
                if (isDone()) {
                    return;
                }
                if (attempt == 2 && !targetChecked) {
                    targetChecked = true;
                    Reinvocation.warnIfTargetReleased(invocation);
                }
                follow(attempt, next.proceed(reused ? invocation : Reinvocation.copy(invocation)));
            }

            void follow(int attempt, CompletableFuture<Object> running) {
                inFlight = running;
                if (isCancelled()) { // cancelled before inFlight was set: cancel() above missed it
                    running.cancel(true);
                    return;
                }
                if (answered(running)) {
                    settle(attempt, running.join(), null); // already answered: no completion node needed
                    return;
                }
                running.whenComplete((result, failure) -> settle(attempt, result, failure));
            }

            private void settle(int attempt, Object result, Throwable failure) {
                if (isDone()) {
                    return;
                }
                Throwable cause = failure == null ? null : FallbackChain.unwrap(failure);
                if (cause == null) {
                    try {
                        if (!retry.rejects(result)) {
                            retry.onSuccess(attempt);
                            complete(result);
                            return;
                        }
                    } catch (ResultPredicateException broken) {
                        cause = broken; // fails the attempt like any failure (and is not retried)
                    }
                }
                retryOrGiveUp(attempt, result, cause);
            }

            /** After an attempt that failed with {@code cause}, or whose {@code result} a predicate rejected. */
            void retryOrGiveUp(int attempt, Object result, Throwable cause) {
                long delay = cause == null ? retry.delayBeforeRetryOnResult(attempt, start)
                        : retry.delayBeforeRetry(attempt, start, cause);
                if (delay == Retry.NO_RETRY || reused && !reinvocation.stillReusable(invocation)) {
                    retry.onFailure(attempt);
                    if (cause == null) {
                        complete(result);
                    } else {
                        completeExceptionally(cause);
                    }
                    return;
                }
                if (observed != null) {
                    observed.retry(attempt, cause);
                }
                later.schedule(() -> attempt(attempt + 1), delay);
            }
        }
    }

    static final class CircuitBreakerStep extends AsyncStep {
        private final CircuitBreaker breaker;
        private final AsyncStep next;

        CircuitBreakerStep(CircuitBreaker breaker, AsyncStep next) {
            this.breaker = breaker;
            this.next = next;
        }

        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
            Object permit = breaker.tryAcquirePermission();
            if (permit == null) {
                return CompletableFuture.failedFuture(new CircuitBreakerOpenException(breaker.getName(),
                        breaker.getState()));
            }
            long start = breaker.now();
            CompletableFuture<Object> running = next.proceed(invocation);
            if (answered(running)) {
                try {
                    breaker.onSuccess(permit, start, running.join());
                } catch (ResultPredicateException broken) { // recorded; it must reach the caller
                    return CompletableFuture.failedFuture(broken);
                }
                return running;
            }
            return new Recording(permit, start).follow(running);
        }

        private final class Recording extends Outcome {
            private final Object permit;
            private final long start;

            Recording(Object permit, long start) {
                this.permit = permit;
                this.start = start;
            }

            @Override
            void settle(Object result, Throwable failure) {
                if (failure == null) {
                    try {
                        breaker.onSuccess(permit, start, result);
                    } catch (ResultPredicateException broken) { // recorded; it must reach the caller, not vanish here
                        completeExceptionally(broken);
                        return;
                    }
                    complete(result);
                } else if (isCancelled()) {
                    breaker.releasePermission(permit); // its caller cancelled: the call counts as nothing
                } else {
                    Throwable cause = FallbackChain.unwrap(failure);
                    breaker.onResult(permit, start, cause);
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

    static final class BulkheadStep extends AsyncStep {
        private final Bulkhead bulkhead;
        private final AsyncStep next;

        BulkheadStep(Bulkhead bulkhead, AsyncStep next) {
            this.bulkhead = bulkhead;
            this.next = next;
        }

        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
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

        /**
         * Runs the rest with a slot taken, and returns the slot when the method's own stage completes, before its
         * outcome goes on: a caller that sees the outcome finds the slot free.
         */
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
