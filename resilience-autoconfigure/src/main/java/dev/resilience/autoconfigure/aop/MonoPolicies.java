package dev.resilience.autoconfigure.aop;

import dev.resilience.autoconfigure.aop.GuardedMono.Stage;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.chaos.Chaos;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.core.GuardedCallObserver.CallOutcome;
import dev.resilience.degradation.Feature;
import dev.resilience.degradation.FeatureDegradedException;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;
import dev.resilience.timeout.CallTimeoutException;
import dev.resilience.timeout.Timeout;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * The {@link Stage}s of the {@code Mono} policies ({@link MonoStages} builds them): immutable, their
 * per-subscription state in the {@link GuardedMono}.
 */
final class MonoPolicies {

    private MonoPolicies() {
    }

    /** {@code @Degradable}: a switched-off feature sheds the subscription before the method is called. */
    static final class Degradable extends Stage {
        private final Feature feature;

        Degradable(Feature feature) {
            this.feature = feature;
        }

        @Override
        boolean enter(GuardedMono call, int stage, Deadline within) {
            try {
                feature.checkAvailable();
            } catch (FeatureDegradedException shed) {
                call.end(stage, null, shed);
                return false;
            }
            return true; // nothing to watch once admitted
        }
    }

    /**
     * A breaker's permission, taken as each attempt enters: the outcome is recorded as what is inside ends, before
     * the outer stages see it, or the permit is given back on cancel; exactly once, whichever comes first (a cancel
     * after the end, from {@code zip} or {@code take}, gives nothing back).
     */
    static final class Breaker extends Stage {
        private final CircuitBreaker breaker;

        Breaker(CircuitBreaker breaker) {
            this.breaker = breaker;
        }

        @Override
        boolean enter(GuardedMono call, int stage, Deadline within) {
            Object permit = breaker.tryAcquirePermission();
            if (permit == null) {
                call.end(stage, null, new CircuitBreakerOpenException(breaker.getName(), breaker.getState()));
                return false;
            }
            call.permit = permit;
            call.breakerStart = breaker.now();
            if (call.hold(GuardedMono.PERMIT)) {
                return true;
            }
            breaker.releasePermission(permit); // the subscriber cancelled meanwhile
            return false;
        }

        @Override
        void ended(GuardedMono call, int stage, Object item, Throwable failure) {
            if (stage == 0 && call.releaseFinishing(GuardedMono.PERMIT, item, failure)) {
                Throwable outcome = record(call, item, failure);
                call.finish(outcome == failure ? item : null, outcome);
                return;
            }
            if (call.release(GuardedMono.PERMIT)) {
                Throwable outcome = record(call, item, failure);
                if (outcome != failure) {
                    call.end(stage, null, outcome);
                    return;
                }
            }
            call.end(stage, item, failure);
        }

        /**
         * Records the outcome; returns the call's failure: {@code failure}, or what record-result threw for a value
         * (recorded as a failure, the value discarded).
         */
        private Throwable record(GuardedMono call, Object item, Throwable failure) {
            if (failure != null || item == null) {
                breaker.onResult(call.permit, call.breakerStart, failure);
                return failure;
            }
            try {
                breaker.onSuccess(call.permit, call.breakerStart, item); // a failure if record-result says so
                return null;
            } catch (RuntimeException broken) {
                Operators.onDiscard(item, call.currentContext());
                return broken;
            }
        }

        @Override
        void cancelled(GuardedMono call) {
            if (call.release(GuardedMono.PERMIT)) {
                breaker.releasePermission(call.permit);
            }
        }
    }

    /**
     * A bulkhead slot, taken as each attempt enters (a free one without going through a future) and held until what
     * is inside ends (the slot is free before the outer stages and the subscriber see the end) or the subscriber
     * cancels; returned exactly once. Without a free slot the attempt queues for one; the grant may come on another
     * thread as the subscriber cancels: the method starts only if the grant comes first, and a grant that comes
     * after the cancel is given back at once.
     */
    static final class Slot extends Stage {
        private final Bulkhead bulkhead;

        Slot(Bulkhead bulkhead) {
            this.bulkhead = bulkhead;
        }

        @Override
        boolean enter(GuardedMono call, int stage, Deadline within) {
            if (!bulkhead.tryAcquire()) {
                await(call, stage, within);
                return false;
            }
            if (call.hold(GuardedMono.SLOT_HOLDING)) {
                return true;
            }
            bulkhead.release(); // the subscriber cancelled meanwhile
            return false;
        }

        private void await(GuardedMono call, int stage, Deadline within) {
            CompletableFuture<Void> waiter = bulkhead.acquireAsync().toCompletableFuture();
            if (!call.hold(GuardedMono.SLOT_WAITING) || !call.await(waiter, within)) {
                waiter.cancel(false); // a grant that raced it is given back below, as it is not waited on
            }
            // Watched even when given up: a grant that raced the cancel must come back.
            waiter.whenComplete((granted, failure) -> {
                if (failure == null) {
                    if (call.stopWaiting(waiter, within)
                            && call.move(GuardedMono.SLOT_WAITING, GuardedMono.SLOT_HOLDING)) {
                        call.enter(stage + 1, within);
                    } else {
                        bulkhead.release(); // granted just after the subscription or the attempt ended
                    }
                } else if (!(failure instanceof CancellationException) && call.stopWaiting(waiter, within)
                        && call.release(GuardedMono.SLOT_WAITING)) {
                    call.failInside(stage, FallbackChain.unwrap(failure), within);
                }
            });
        }

        @Override
        void ended(GuardedMono call, int stage, Object item, Throwable failure) {
            if (stage == 0 && call.releaseFinishing(GuardedMono.SLOT_HOLDING, item, failure)) {
                bulkhead.release();
                call.finish(item, failure);
                return;
            }
            if (call.release(GuardedMono.SLOT_HOLDING)) {
                bulkhead.release();
            }
            call.end(stage, item, failure);
        }

        @Override
        void cancelled(GuardedMono call) {
            call.release(GuardedMono.SLOT_WAITING); // its waiter is cancelled with what the subscription waits on
            if (call.release(GuardedMono.SLOT_HOLDING)) {
                bulkhead.release();
            }
        }
    }

    /**
     * A rate limiter: a permit is reserved as each attempt enters; when it comes later, the attempt waits for it on
     * Reactor's parallel scheduler and then goes on. Exactly one of: the wait ends and the attempt goes on, or the
     * subscriber cancels first and the reserved permit goes back.
     */
    static final class Paced extends Stage {
        private final RateLimiter limiter;

        Paced(RateLimiter limiter) {
            this.limiter = limiter;
        }

        @Override
        boolean enter(GuardedMono call, int stage, Deadline within) {
            long wait = limiter.reservePermission();
            if (wait == 0) {
                return true;
            }
            if (wait == RateLimiter.REJECTED) {
                call.end(stage, null, limiter.rejection());
                return false;
            }
            if (!call.hold(GuardedMono.RESERVED)) {
                limiter.releasePermission(); // the subscriber cancelled meanwhile
                return false;
            }
            Throwable refused = call.after(wait, () -> {
                if (call.release(GuardedMono.RESERVED)) {
                    call.enter(stage + 1, within);
                }
            }, within);
            if (refused != null) {
                cancelled(call);
                call.end(stage, null, refused);
            }
            return false;
        }

        @Override
        void cancelled(GuardedMono call) {
            if (call.release(GuardedMono.RESERVED)) {
                limiter.releasePermission();
            }
        }
    }

    /**
     * Fault injection, innermost, drawn as each attempt enters: the injected latency is waited on Reactor's parallel
     * scheduler, then the injected failure, if any, is the attempt's outcome without calling the method.
     */
    static final class Chaotic extends Stage {
        private final Chaos[] chaos;

        Chaotic(List<Chaos> chaos) {
            this.chaos = chaos.toArray(Chaos[]::new);
        }

        @Override
        boolean enter(GuardedMono call, int stage, Deadline within) {
            ChaosDraw drawn = ChaosDraw.of(chaos);
            if (drawn == null) {
                return true;
            }
            Throwable injected = drawn.failure();
            if (drawn.latencyNanos() == 0) {
                call.failInside(stage, injected, within);
                return false;
            }
            Throwable refused = call.after(drawn.latencyNanos(), () -> {
                if (injected == null) {
                    call.enter(stage + 1, within);
                } else {
                    call.failInside(stage, injected, within);
                }
            }, within);
            if (refused != null) {
                call.failInside(stage, refused, within);
            }
            return false;
        }
    }

    /**
     * A retry: a failure, or a value that {@code retry-on-result} rejects, makes the stages inside enter again (a
     * fresh invocation) after the backoff on Reactor's parallel scheduler; a rejected value is delivered after all
     * once retries are exhausted. One attempt's end is handled before the next attempt starts: the scheduler
     * orders the two.
     */
    static final class Retrying extends Stage {
        private final Retry retry;

        Retrying(Retry retry) {
            this.retry = retry;
        }

        @Override
        boolean enter(GuardedMono call, int stage, Deadline within) {
            call.retryStart = retry.begin();
            return true;
        }

        @Override
        void ended(GuardedMono call, int stage, Object item, Throwable failure) {
            int made = call.attempts();
            if (failure != null) {
                failed(call, stage, made, failure);
                return;
            }
            if (item != null) {
                boolean rejected;
                try {
                    rejected = retry.rejects(item);
                } catch (RuntimeException broken) { // retry-on-result threw: the attempt failed with that
                    Operators.onDiscard(item, call.currentContext());
                    failed(call, stage, made, broken);
                    return;
                }
                if (rejected) {
                    long delay = made < GuardedMono.MOST_ATTEMPTS ? retry.delayBeforeRetryOnResult(made,
                            call.retryStart) : Retry.NO_RETRY;
                    if (delay != Retry.NO_RETRY) {
                        // Never reaches the subscriber: released like any value an operator drops.
                        Operators.onDiscard(item, call.currentContext());
                        again(call, stage, made, delay, null);
                        return;
                    }
                    retry.onFailure(made);
                    call.end(stage, item, null);
                    return;
                }
            }
            retry.onSuccess(made);
            call.end(stage, item, null);
        }

        private void failed(GuardedMono call, int stage, int made, Throwable failure) {
            long delay = made < GuardedMono.MOST_ATTEMPTS ? retry.delayBeforeRetry(made, call.retryStart, failure)
                    : Retry.NO_RETRY;
            if (delay == Retry.NO_RETRY) {
                retry.onFailure(made);
                call.end(stage, null, failure);
                return;
            }
            again(call, stage, made, delay, failure);
        }

        /** Attempt {@code made} failed with {@code cause} (null: its value was rejected); the next one starts. */
        private static void again(GuardedMono call, int stage, int made, long delayNanos, Throwable cause) {
            ObservedCallState observed = ReactorPipeline.observedIn(call.currentContext());
            if (observed != null) {
                observed.retry(made, cause);
            }
            call.retryAfter(stage, delayNanos);
        }
    }

    /**
     * The first applicable fallback answers a failure; one that throws when called hands over to the next, and the
     * publisher it returns is used as it is (its first value, or its failure, is the call's outcome).
     */
    static final class Fallback extends Stage {
        private final FallbackChain chain;

        Fallback(FallbackChain chain) {
            this.chain = chain;
        }

        @Override
        void ended(GuardedMono call, int stage, Object item, Throwable failure) {
            if (failure == null || !chain.appliesTo(failure)) {
                call.end(stage, item, failure);
                return;
            }
            ObservedCallState observed = ReactorPipeline.observedIn(call.currentContext());
            if (observed != null) {
                observed.fallback(failure);
            }
            Object answer;
            try {
                answer = chain.recover(call.invocation.getThis(), call.invocation.getArguments(), failure);
            } catch (Throwable exhausted) {
                call.end(stage, null, exhausted);
                return;
            }
            if (observed != null) { // a publisher that fails still fails the call: its failure decides the outcome
                observed.answeredBy(CallOutcome.FALLBACK);
            }
            if (answer instanceof Publisher<?> publisher) {
                call.answerWith(stage, publisher);
            } else {
                call.end(stage, answer, null);
            }
        }
    }

    /** A timeout: each attempt runs within one deadline ({@link Deadline}). */
    static final class Timed extends Stage {
        private final Timeout timeout;

        Timed(Timeout timeout) {
            this.timeout = timeout;
        }

        @Override
        boolean enter(GuardedMono call, int stage, Deadline within) {
            Deadline deadline = new Deadline(call, timeout, stage);
            if (call.await(deadline, null)) { // else the subscriber cancelled
                call.enter(stage + 1, deadline);
            }
            return false;
        }

        @Override
        void ended(GuardedMono call, int stage, Object item, Throwable failure) {
            timeout.record(false, failure); // the end came before the deadline: whoever ended won it from there
            call.end(stage, item, failure);
        }
    }

    /**
     * One attempt of a timed stage, on Reactor's parallel scheduler (so virtual time drives it): whichever comes
     * first of the attempt's end, the deadline and the subscriber's cancel decides, once. At the deadline the method's
     * {@code Mono} (or the wait for a slot) is cancelled (Reactor cannot stop waiting otherwise), the stages inside
     * give back what they hold, the timeout is recorded and the outer stages get {@link CallTimeoutException};
     * what the method sends after that is dropped here, so it cannot reach a later attempt. A cancel stops the timer
     * and records nothing. It is the method's subscriber for its attempt, and what the call waits on meanwhile.
     */
    static final class Deadline implements CoreSubscriber<Object>, Disposable, Runnable {
        private static final int RUNNING = 0;
        private static final int ENDED = 1;
        private static final int EXPIRED = 2;

        private static final AtomicIntegerFieldUpdater<Deadline> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Deadline.class, "state");
        private static final AtomicReferenceFieldUpdater<Deadline, Object> HELD =
                AtomicReferenceFieldUpdater.newUpdater(Deadline.class, Object.class, "held");

        private final GuardedMono call;
        private final Timeout timeout;
        private final int stage;
        private volatile int state;
        private volatile Disposable timer;
        // Set by the attempt's own entry, which reaches arm() again only after the wait that armed it.
        private boolean armed;
        // The method's Subscription, a slot's waiter or a Pause; GuardedMono.CANCELLED_MARK once the attempt is over.
        private volatile Object held;
        private Object value;
        private boolean done;

        Deadline(GuardedMono call, Timeout timeout, int stage) {
            this.call = call;
            this.timeout = timeout;
            this.stage = stage;
        }

        /** Whether the attempt's end came first (then its timer is stopped); false after the deadline or a cancel. */
        boolean end() {
            if (!STATE.compareAndSet(this, RUNNING, ENDED)) {
                return false;
            }
            Disposable set = timer;
            if (set != null) {
                set.dispose();
            }
            return true;
        }

        /**
         * Starts the timer, at the attempt's first wait or as it calls the method (the entry before that is short and
         * cannot be abandoned halfway); whether the attempt still runs.
         */
        boolean arm() {
            if (armed) {
                return state == RUNNING;
            }
            armed = true;
            Disposable set;
            try {
                set = Schedulers.parallel().schedule(this, timeout.getTimeoutNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException rejected) {
                if (end()) {
                    call.end(stage, null, Operators.onRejectedExecution(rejected, call.currentContext()));
                }
                return false;
            }
            timer = set;
            if (state != RUNNING) { // ended before the timer was set: end() could not stop it
                set.dispose();
                return false;
            }
            return true;
        }

        boolean await(Object waitedOn) {
            return arm() && HELD.compareAndSet(this, null, waitedOn);
        }

        boolean stopWaiting(Object waitedOn) {
            return HELD.compareAndSet(this, waitedOn, null);
        }

        /** The deadline. */
        @Override
        public void run() {
            if (!STATE.compareAndSet(this, RUNNING, EXPIRED)) {
                return;
            }
            // First, so that a slot granted from now on is not taken for this attempt; then what is held goes back.
            GuardedMono.cancelHeld(HELD.getAndSet(this, GuardedMono.CANCELLED_MARK));
            call.abandonInside(stage);
            timeout.record(true, null);
            call.end(stage, null, new CallTimeoutException(timeout.getName(), timeout.getConfig().timeoutDuration()));
        }

        /** The subscriber cancelled: a deadline that passes after it records nothing. */
        @Override
        public void dispose() {
            end();
            GuardedMono.cancelHeld(HELD.getAndSet(this, GuardedMono.CANCELLED_MARK));
        }

        @Override
        public boolean isDisposed() {
            return state != RUNNING;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            if (HELD.compareAndSet(this, null, subscription)) {
                subscription.request(Long.MAX_VALUE);
                return;
            }
            subscription.cancel();
            if (held != GuardedMono.CANCELLED_MARK) {
                Operators.reportSubscriptionSet();
            }
        }

        @Override
        public void onNext(Object item) {
            if (done || value != null) {
                Operators.onNextDropped(item, currentContext());
                return;
            }
            value = item;
        }

        @Override
        public void onError(Throwable failure) {
            if (done) {
                Operators.onErrorDropped(failure, currentContext());
                return;
            }
            done = true;
            Object discarded = value;
            value = null;
            if (discarded != null) {
                Operators.onDiscard(discarded, currentContext());
            }
            if (end()) {
                call.end(call.stageCount(), null, failure);
            } else {
                Operators.onErrorDropped(failure, currentContext());
            }
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            Object item = value;
            value = null;
            if (end()) {
                call.end(call.stageCount(), item, null);
            } else if (item != null) {
                Operators.onDiscard(item, currentContext());
            }
        }

        @Override
        public Context currentContext() {
            return call.currentContext();
        }
    }
}
