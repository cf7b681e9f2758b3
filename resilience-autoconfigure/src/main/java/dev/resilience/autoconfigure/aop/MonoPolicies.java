package dev.resilience.autoconfigure.aop;

import dev.resilience.autoconfigure.aop.GuardedMono.PolicySubscriber;
import dev.resilience.core.GuardedCallObserver.CallOutcome;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.timeout.CallTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The subscribers of the {@code Mono} stages ({@link MonoStages}): one per policy per subscription. */
final class MonoPolicies {

    private MonoPolicies() {
    }

    /**
     * A breaker's permitted call: records its outcome as the upstream terminates, before the downstream sees it, or
     * gives the permit back on cancel; exactly once, whichever comes first (a cancel after the end, from
     * {@code zip} or {@code take}, gives nothing back).
     */
    static final class Breaker extends PolicySubscriber {
        private static final AtomicIntegerFieldUpdater<Breaker> SETTLED =
                AtomicIntegerFieldUpdater.newUpdater(Breaker.class, "settled");

        private final dev.resilience.circuitbreaker.CircuitBreaker breaker;
        private final Object permit;
        private final long start;
        private volatile int settled;

        Breaker(CoreSubscriber<? super Object> actual, dev.resilience.circuitbreaker.CircuitBreaker breaker,
                Object permit, long start) {
            super(actual);
            this.breaker = breaker;
            this.permit = permit;
            this.start = start;
        }

        private boolean settle() {
            return settled == 0 && SETTLED.compareAndSet(this, 0, 1);
        }

        @Override
        void succeeded(Object item) {
            if (settle()) {
                try {
                    if (item == null) {
                        breaker.onResult(permit, start, null);
                    } else {
                        breaker.onSuccess(permit, start, item); // a failure when record-result says so
                    }
                } catch (RuntimeException broken) { // record-result threw: recorded, and the call's outcome
                    actual.onError(broken);
                    return;
                }
            }
            emit(item);
        }

        @Override
        void failed(Throwable failure) {
            if (settle()) {
                breaker.onResult(permit, start, failure);
            }
            actual.onError(failure);
        }

        @Override
        void cancelled() {
            if (settle()) {
                breaker.releasePermission(permit);
            }
        }
    }

    /**
     * Holds a bulkhead slot from its grant until the upstream terminates (the slot is free before the downstream
     * sees the end) or the downstream cancels; returns it exactly once.
     */
    static class Slot extends PolicySubscriber {
        static final int WAITING = 0;
        static final int HOLDING = 1;
        static final int RETURNED = 2;

        private static final AtomicIntegerFieldUpdater<Slot> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Slot.class, "slot");

        final dev.resilience.bulkhead.Bulkhead bulkhead;
        volatile int slot;

        /** A subscription that holds a slot already. */
        Slot(CoreSubscriber<? super Object> actual, dev.resilience.bulkhead.Bulkhead bulkhead) {
            this(actual, bulkhead, HOLDING);
        }

        Slot(CoreSubscriber<? super Object> actual, dev.resilience.bulkhead.Bulkhead bulkhead, int slot) {
            super(actual);
            this.bulkhead = bulkhead;
            this.slot = slot;
        }

        final boolean moveSlot(int from, int to) {
            return STATE.compareAndSet(this, from, to);
        }

        /** The subscription ended, however: the slot goes back, or the wait for one is given up. */
        final void finish() {
            for (;;) {
                int state = slot;
                if (state == RETURNED) {
                    return;
                }
                if (moveSlot(state, RETURNED)) {
                    if (state == HOLDING) {
                        bulkhead.release();
                    } else {
                        abandon();
                    }
                    return;
                }
            }
        }

        /** Gives up waiting for a slot. */
        void abandon() {
        }

        @Override
        final void succeeded(Object item) {
            finish();
            emit(item);
        }

        @Override
        final void failed(Throwable failure) {
            finish();
            actual.onError(failure);
        }

        @Override
        final void cancelled() {
            finish();
        }
    }

    /**
     * A subscription queued for a slot. The grant may arrive on another thread as the downstream cancels: the method
     * starts only if the grant comes first, and a grant that comes after the cancel is given back at once.
     */
    static final class WaitingSlot extends Slot {
        private final CompletableFuture<Void> waiter;
        private final GuardedMono call;
        private final int inner;

        private WaitingSlot(CoreSubscriber<? super Object> actual, dev.resilience.bulkhead.Bulkhead bulkhead,
                CompletableFuture<Void> waiter, GuardedMono call, int inner) {
            super(actual, bulkhead, WAITING);
            this.waiter = waiter;
            this.call = call;
            this.inner = inner;
        }

        /** Waits for a slot of {@code bulkhead} (or its rejection) for {@code actual}, then runs the rest. */
        static void await(CoreSubscriber<? super Object> actual, dev.resilience.bulkhead.Bulkhead bulkhead,
                GuardedMono call, int inner) {
            WaitingSlot waiting = new WaitingSlot(actual, bulkhead, bulkhead.acquireAsync().toCompletableFuture(),
                    call, inner);
            waiting.started();
            // Watched even when cancelled already: a grant that raced the cancel must come back.
            waiting.waiter.whenComplete((granted, failure) -> waiting.granted(failure));
        }

        private void granted(Throwable failure) {
            if (failure == null) {
                if (moveSlot(WAITING, HOLDING)) {
                    call.subscribeFrom(inner, this);
                } else {
                    bulkhead.release(); // granted just after the subscription ended
                }
            } else if (!(failure instanceof CancellationException) && moveSlot(WAITING, RETURNED)) {
                actual.onError(FallbackChain.unwrap(failure));
            }
        }

        @Override
        void abandon() {
            waiter.cancel(false);
        }
    }

    /**
     * One deadline for the subscription, on Reactor's parallel scheduler (so virtual time drives it): whichever comes
     * first of the upstream's end and the deadline decides, once. At the deadline the upstream is cancelled (Reactor
     * cannot stop waiting otherwise), the timeout is recorded and the subscriber gets {@link CallTimeoutException};
     * what the upstream sends after that is dropped. A downstream cancel stops the timer and records nothing.
     */
    static final class Deadline extends PolicySubscriber implements Runnable {
        private static final int RUNNING = 0;
        private static final int ENDED = 1;
        private static final int EXPIRED = 2;

        private static final AtomicIntegerFieldUpdater<Deadline> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Deadline.class, "outcome");

        private final dev.resilience.timeout.Timeout timeout;
        private volatile int outcome;
        private volatile Disposable timer;

        private Deadline(CoreSubscriber<? super Object> actual, dev.resilience.timeout.Timeout timeout) {
            super(actual);
            this.timeout = timeout;
        }

        /** Runs the rest for {@code actual} within {@code timeout}'s budget, counted from now. */
        static void start(CoreSubscriber<? super Object> actual, dev.resilience.timeout.Timeout timeout,
                GuardedMono call, int inner) {
            Deadline deadline = new Deadline(actual, timeout);
            if (!deadline.started()) {
                return;
            }
            try {
                deadline.timer = Schedulers.parallel().schedule(deadline, timeout.getTimeoutNanos(),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException rejected) {
                deadline.outcome = ENDED;
                actual.onError(reactor.core.publisher.Operators.onRejectedExecution(rejected,
                        deadline.currentContext()));
                return;
            }
            if (deadline.isCancelled()) { // cancelled before the timer was set: cancelled() could not stop it
                deadline.timer.dispose();
                return;
            }
            call.subscribeFrom(inner, deadline);
        }

        /** The deadline. */
        @Override
        public void run() {
            if (!STATE.compareAndSet(this, RUNNING, EXPIRED)) {
                return;
            }
            cancelUpstream();
            timeout.record(true, null);
            actual.onError(new CallTimeoutException(timeout.getName(), timeout.getConfig().timeoutDuration()));
        }

        /** Whether the upstream's end came before the deadline; its timer is then stopped. */
        private boolean beforeTheDeadline() {
            if (!STATE.compareAndSet(this, RUNNING, ENDED)) {
                return false;
            }
            Disposable set = timer;
            if (set != null) {
                set.dispose();
            }
            return true;
        }

        @Override
        void succeeded(Object item) {
            if (!beforeTheDeadline()) {
                if (item != null) {
                    reactor.core.publisher.Operators.onDiscard(item, currentContext());
                }
                return;
            }
            timeout.record(false, null);
            emit(item);
        }

        @Override
        void failed(Throwable failure) {
            if (!beforeTheDeadline()) {
                reactor.core.publisher.Operators.onErrorDropped(failure, currentContext());
                return;
            }
            timeout.record(false, failure);
            actual.onError(failure);
        }

        @Override
        void cancelled() {
            beforeTheDeadline(); // a deadline that passes after the cancel records nothing
        }
    }

    /**
     * One subscription's attempts: a failure, or a value that {@code retry-on-result} rejects, is retried by
     * subscribing the rest of the pipeline again (a fresh invocation) after the backoff on Reactor's parallel
     * scheduler; a rejected value is delivered after all once retries are exhausted. The attempt fields are touched
     * by one attempt's signals at a time: the next attempt starts through the scheduler, which orders the two.
     */
    static final class Retrying extends PolicySubscriber implements Runnable {
        private static final AtomicReferenceFieldUpdater<Retrying, Disposable> PENDING =
                AtomicReferenceFieldUpdater.newUpdater(Retrying.class, Disposable.class, "pending");

        private static final Disposable CANCELLED = Disposables.disposed();

        private final dev.resilience.retry.Retry retry;
        private final long start;
        private GuardedMono call;
        private final int inner;
        private int made = 1;
        // The backoff waiting to start the next attempt; CANCELLED once the downstream cancelled.
        private volatile Disposable pending;

        Retrying(CoreSubscriber<? super Object> actual, dev.resilience.retry.Retry retry, GuardedMono call,
                int inner) {
            super(actual);
            this.retry = retry;
            this.call = call;
            this.inner = inner;
            this.start = retry.begin();
        }

        @Override
        void succeeded(Object item) {
            if (item != null) {
                boolean rejected;
                try {
                    rejected = retry.rejects(item);
                } catch (RuntimeException broken) { // retry-on-result threw: the attempt failed with that
                    failed(broken);
                    return;
                }
                if (rejected) {
                    long delay = retry.delayBeforeRetryOnResult(made, start);
                    if (delay != dev.resilience.retry.Retry.NO_RETRY) {
                        again(delay, null);
                        return;
                    }
                    retry.onFailure(made);
                    emit(item);
                    return;
                }
            }
            retry.onSuccess(made);
            emit(item);
        }

        @Override
        void failed(Throwable failure) {
            long delay = retry.delayBeforeRetry(made, start, failure);
            if (delay == dev.resilience.retry.Retry.NO_RETRY) {
                retry.onFailure(made);
                actual.onError(failure);
                return;
            }
            again(delay, failure);
        }

        /** Attempt {@link #made} failed with {@code cause} (null: its value was rejected); the next one starts. */
        private void again(long delayNanos, Throwable cause) {
            ObservedCallState observed = ReactorPipeline.observedIn(currentContext());
            if (observed != null) {
                observed.retry(made, cause);
            }
            made++;
            if (!detach()) {
                return;
            }
            Disposable task;
            try {
                task = Schedulers.parallel().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException rejected) {
                actual.onError(reactor.core.publisher.Operators.onRejectedExecution(rejected, currentContext()));
                return;
            }
            for (;;) {
                Disposable current = pending;
                if (current == CANCELLED) {
                    task.dispose();
                    return;
                }
                if (PENDING.compareAndSet(this, current, task)) {
                    return;
                }
            }
        }

        /** The backoff is over: the next attempt. */
        @Override
        public void run() {
            if (isCancelled()) {
                return;
            }
            call = call.again();
            call.subscribeFrom(inner, this);
        }

        @Override
        void cancelled() {
            Disposable task = PENDING.getAndSet(this, CANCELLED);
            if (task != null) {
                task.dispose();
            }
        }
    }

    /**
     * The first applicable fallback answers a failure; one that throws when called hands over to the next, and the
     * publisher it returns is used as it is (its first value, or its failure, is the call's outcome).
     */
    static final class Fallback extends PolicySubscriber {
        private final FallbackChain chain;
        private final MethodInvocation invocation;
        private boolean answering;

        Fallback(CoreSubscriber<? super Object> actual, FallbackChain chain, MethodInvocation invocation) {
            super(actual);
            this.chain = chain;
            this.invocation = invocation;
        }

        @Override
        void succeeded(Object item) {
            emit(item);
        }

        @Override
        @SuppressWarnings("unchecked")
        void failed(Throwable failure) {
            if (answering || !chain.appliesTo(failure)) {
                actual.onError(failure);
                return;
            }
            ObservedCallState observed = ReactorPipeline.observedIn(currentContext());
            if (observed != null) {
                observed.fallback(failure);
            }
            Object answer;
            try {
                answer = chain.recover(invocation.getThis(), invocation.getArguments(), failure);
            } catch (Throwable exhausted) {
                actual.onError(exhausted);
                return;
            }
            if (observed != null) { // a publisher that fails still fails the call: its failure decides the outcome
                observed.answeredBy(CallOutcome.FALLBACK);
            }
            if (!(answer instanceof Publisher<?> publisher)) {
                emit(answer);
                return;
            }
            answering = true;
            if (detach()) {
                Mono.from((Publisher<Object>) publisher).subscribe(this);
            }
        }

        @Override
        void cancelled() {
        }
    }
}
