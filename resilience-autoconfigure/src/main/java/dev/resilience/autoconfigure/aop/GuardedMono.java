package dev.resilience.autoconfigure.aop;

import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * One call of a {@code Mono} method whose policies all have a {@link Stage}: the only object a call allocates, for
 * it is also the subscriber of its first subscription (a later subscription of the same {@code Mono} gets a copy).
 * One subscriber holds the whole subscription, whatever the policies: their per-subscription state lives in its
 * fields (a breaker's permit and start, a retry's start and attempts, the bulkhead slot, in bits of one
 * {@code state}), and the {@link Stage}s, one immutable object per policy and method, act on it. A subscription
 * enters the stages outermost first and then invokes the method; its end goes through them innermost first, each
 * settling its policy before the outer one sees the outcome, and the subscriber last. A retry enters the stages
 * inside it again (a fresh invocation) after the backoff; a fallback's publisher becomes the upstream, whose end
 * goes on from the fallback outward. A timeout's attempt is the one exception: a {@link MonoPolicies.Deadline}
 * subscribes to the method for it and holds what it waits on, so that an attempt abandoned at its deadline cannot
 * signal into the next.
 *
 * <p>This replaces one subscriber per policy (each its downstream's {@code Subscription}) and, before that, the
 * {@code Flux} operators ({@code defer} and two or three {@code doOn...} per policy) that a {@code Mono} went through.
 */
final class GuardedMono extends Mono<Object> implements CoreSubscriber<Object>, Subscription {

    // The subscriber's demand and the end, as Reactor's MonoSubscriber keeps them: the value waits for a request.
    private static final int REQUESTED = 1;
    private static final int READY = 1 << 1; // the value waits in value for the subscriber's request
    private static final int TERMINATED = 1 << 2; // the subscriber got, or is being given, its end
    private static final int CANCELLED = 1 << 3;
    private static final int DONE = 1 << 4; // the current upstream terminated: what it sends later is dropped
    private static final int CLAIMED = 1 << 5; // this object serves a subscription
    private static final int REUSABLE = 1 << 6; // the first attempt may proceed the invocation itself
    /** A breaker's permit waits for its outcome; cleared by whichever of the end and the cancel comes first. */
    static final int PERMIT = 1 << 7;
    /** The subscription waits for a bulkhead slot. */
    static final int SLOT_WAITING = 1 << 8;
    /** The subscription holds a bulkhead slot; cleared by whichever of the end and the cancel comes first. */
    static final int SLOT_HOLDING = 1 << 9;
    /** A rate limiter's permit is reserved for the attempt while it waits for its turn. */
    static final int RESERVED = 1 << 10;
    // 1 + the index of the stage whose answer (a fallback's publisher) is the upstream; 0 while it is the method.
    private static final int ANSWER_SHIFT = 11;
    private static final int ANSWER_MASK = 0xF << ANSWER_SHIFT;
    // The attempts made (a retry's), in the bits above.
    private static final int MADE_SHIFT = 15;
    private static final int MADE_ONE = 1 << MADE_SHIFT;
    /** The most attempts one subscription counts; a retry stops there whatever its max-attempts. */
    static final int MOST_ATTEMPTS = -1 >>> MADE_SHIFT;

    private static final AtomicIntegerFieldUpdater<GuardedMono> STATE =
            AtomicIntegerFieldUpdater.newUpdater(GuardedMono.class, "state");
    private static final AtomicReferenceFieldUpdater<GuardedMono, Object> HELD =
            AtomicReferenceFieldUpdater.newUpdater(GuardedMono.class, Object.class, "held");

    /** {@link #held} once the subscriber cancelled: what would be held later is given up at once. */
    static final Object CANCELLED_MARK = new Object();

    private final Stage[] stages;
    final MethodInvocation invocation;
    private CoreSubscriber<? super Object> actual;
    // The upstream's value until it terminates, then the outcome until the subscriber requests it.
    private Object value;
    private volatile int state;
    // What the subscription waits on, cancelled with it: the upstream's Subscription, a Pause (a retry's backoff,
    // a rate limiter's turn, injected latency), a slot's waiter or a timed attempt's Deadline; CANCELLED_MARK once
    // cancelled.
    private volatile Object held;
    /** The breaker's permit, while {@link #PERMIT} is set. */
    Object permit;
    /** When the breaker's call started. */
    long breakerStart;
    /** When the retry's first attempt started ({@code Retry.begin()}). */
    long retryStart;

    private GuardedMono(Stage[] stages, MethodInvocation invocation, int state) {
        this.stages = stages;
        this.invocation = invocation;
        this.state = state;
    }

    /** One call's {@code Mono}, through Reactor's assembly hooks (debug tracebacks) like Reactor's own operators. */
    static Mono<Object> of(Stage[] stages, MethodInvocation invocation, boolean reusable) {
        return onAssembly(new GuardedMono(stages, invocation, MADE_ONE | (reusable ? REUSABLE : 0)));
    }

    @Override
    public void subscribe(CoreSubscriber<? super Object> actual) {
        int initial = state;
        GuardedMono call = (initial & CLAIMED) == 0 && STATE.compareAndSet(this, initial, initial | CLAIMED) ? this
                : new GuardedMono(stages, invocation, CLAIMED | MADE_ONE | (initial & REUSABLE));
        call.actual = actual;
        actual.onSubscribe(call);
        if ((call.state & CANCELLED) == 0) {
            call.enter(0);
        }
    }

    /** Enters the stages from {@code from} inward, then invokes the method; a stage may stop or pause the way. */
    void enter(int from) {
        enter(from, null);
    }

    /**
     * Enters the stages from {@code from} inward within the timed attempt {@code within} ({@code null}: none), then
     * invokes the method. The attempt is named rather than looked up, so that a part of it that goes on after a wait
     * cannot mistake a later attempt for its own once its deadline passed.
     */
    void enter(int from, MonoPolicies.Deadline within) {
        Stage[] stages = this.stages;
        for (int stage = from; stage < stages.length; stage++) {
            if (!stages[stage].enter(this, stage, within)) {
                return;
            }
        }
        proceed(within);
    }

    @SuppressWarnings("unchecked")
    private void proceed(MonoPolicies.Deadline within) {
        int current = state;
        if ((current & CANCELLED) != 0 || within != null && !within.arm()) {
            return;
        }
        CoreSubscriber<Object> subscriber = within != null ? within : this;
        boolean first = (current & REUSABLE) != 0 && (current >>> MADE_SHIFT) == 1;
        Object result;
        try {
            // A retry's attempt proceeds a fresh copy, so that interceptors added inside ours are not skipped.
            result = (first ? invocation : Reinvocation.copy(invocation)).proceed();
        } catch (Throwable failure) {
            subscriber.onError(failure);
            return;
        }
        if (result == null) {
            subscriber.onComplete();
        } else if (result instanceof Fuseable.ScalarCallable<?> known) {
            answered(known, subscriber == this ? null : subscriber);
        } else {
            ((Publisher<Object>) result).subscribe(subscriber);
        }
    }

    /**
     * The method returned a {@code Mono} whose outcome is known already ({@code Mono.just}, {@code empty},
     * {@code error}): taken as its signals without subscribing to it, as Reactor's own operators do with such
     * sources (it saves the subscription a {@code Mono} would allocate). To {@code subscriber} (a timed attempt's),
     * or, for {@code null}, straight to this call's end: there is no upstream whose later signals would need dropping.
     */
    private void answered(Fuseable.ScalarCallable<?> known, CoreSubscriber<Object> subscriber) {
        Object item;
        try {
            item = known.call();
        } catch (Throwable thrown) {
            Exceptions.throwIfJvmFatal(thrown);
            Throwable failure = Exceptions.unwrap(thrown);
            if (subscriber == null) {
                end(stages.length, null, failure);
            } else {
                subscriber.onError(failure);
            }
            return;
        }
        if (subscriber == null) {
            end(stages.length, item, null);
            return;
        }
        if (item != null) {
            subscriber.onNext(item);
        }
        subscriber.onComplete();
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        if (HELD.compareAndSet(this, null, subscription)) {
            subscription.request(Long.MAX_VALUE); // a Mono sends at most one value
            return;
        }
        subscription.cancel();
        if (held != CANCELLED_MARK) {
            Operators.reportSubscriptionSet();
        }
    }

    @Override
    public void onNext(Object item) {
        if ((state & DONE) != 0 || value != null) { // a second value is not a Mono's
            Operators.onNextDropped(item, currentContext());
            return;
        }
        value = item; // held until the end decides; a cancel discards it
    }

    @Override
    public void onError(Throwable failure) {
        if (!upstreamDone()) {
            Operators.onErrorDropped(failure, currentContext());
            return;
        }
        Object discarded = value;
        value = null;
        if (discarded != null) {
            Operators.onDiscard(discarded, currentContext());
        }
        end(upstreamStage(), null, failure);
    }

    @Override
    public void onComplete() {
        if (!upstreamDone()) {
            return;
        }
        Object item = value;
        value = null;
        end(upstreamStage(), item, null);
    }

    /** {@code false} once the upstream ended or the subscriber cancelled: the cancel then discards the value. */
    private boolean upstreamDone() {
        for (;;) {
            int current = state;
            if ((current & (DONE | CANCELLED)) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, current | DONE)) {
                return true;
            }
        }
    }

    /** The stage whose inside the current upstream is: the method's (all of them), or an answering fallback's. */
    private int upstreamStage() {
        int answering = (state & ANSWER_MASK) >>> ANSWER_SHIFT;
        return answering == 0 ? stages.length : answering - 1;
    }

    /**
     * What is inside stage {@code stage} (the stages after it and the method; {@code stages.length}: the method)
     * ended, with {@code item} ({@code null}: empty) or {@code failure}: the stages outside it settle, innermost
     * first, then the subscriber gets the outcome. Dropped once the subscriber cancelled.
     */
    void end(int stage, Object item, Throwable failure) {
        if ((state & CANCELLED) != 0) {
            if (item != null) {
                Operators.onDiscard(item, currentContext());
            } else if (failure != null) {
                Operators.onErrorDropped(failure, currentContext());
            }
            return;
        }
        if (stage > 0) {
            stages[stage - 1].ended(this, stage - 1, item, failure);
        } else if (failure != null || item == null) {
            if (terminate()) {
                finish(null, failure);
            }
        } else {
            deliver(item);
        }
    }

    /**
     * For the outermost stage's end ({@code stage} 0, the subscriber next): clears {@code bit} and takes the
     * subscriber's end in one CAS, instead of one to clear and one to terminate, when the outcome can go to the
     * subscriber at once (a failure, empty, or a value already requested). {@code true}: the caller settles its
     * policy and then gives the outcome with {@link #finish}; a cancel after this finds the call terminated and does
     * nothing. {@code false}: {@code bit} is not set (a cancel settled it), the call cancelled or terminated, or a
     * value not yet requested: the caller goes the usual way ({@link #release}, {@link #end}).
     */
    boolean releaseFinishing(int bit, Object item, Throwable failure) {
        int ready = failure == null && item != null ? REQUESTED : 0;
        for (;;) {
            int current = state;
            if ((current & bit) == 0 || (current & (TERMINATED | CANCELLED)) != 0 || (current & ready) != ready) {
                return false;
            }
            if (STATE.compareAndSet(this, current, (current & ~bit) | TERMINATED)) {
                return true;
            }
        }
    }

    /** Gives the subscriber its end, which this call took ({@link #terminate}, {@link #releaseFinishing}). */
    void finish(Object item, Throwable failure) {
        if (failure != null) {
            actual.onError(failure);
        } else {
            if (item != null) {
                actual.onNext(item);
            }
            actual.onComplete();
        }
    }

    private boolean terminate() {
        for (;;) {
            int current = state;
            if ((current & (TERMINATED | CANCELLED)) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, current | TERMINATED)) {
                return true;
            }
        }
    }

    /** Hands {@code item} over now if it was requested, else keeps it for the request. */
    private void deliver(Object item) {
        for (;;) {
            int current = state;
            if ((current & (TERMINATED | CANCELLED)) != 0) {
                value = null;
                Operators.onDiscard(item, currentContext());
                return;
            }
            if ((current & REQUESTED) != 0) {
                // A CAS, not a lazySet: a store would overwrite the bit of a cancel that came in between, and the
                // value would reach the subscriber after that cancel (Reactor's MonoSubscriber also CASes here).
                if (STATE.compareAndSet(this, current, current | TERMINATED)) {
                    finish(item, null);
                    return;
                }
            } else {
                value = item;
                if (STATE.compareAndSet(this, current, current | READY)) {
                    return;
                }
            }
        }
    }

    @Override
    public void request(long n) {
        if (!Operators.validate(n)) {
            return;
        }
        for (;;) {
            int current = state;
            if ((current & (REQUESTED | TERMINATED | CANCELLED)) != 0) {
                return;
            }
            if ((current & READY) != 0) {
                if (STATE.compareAndSet(this, current, current | REQUESTED | TERMINATED)) {
                    Object item = value;
                    value = null;
                    finish(item, null);
                    return;
                }
            } else if (STATE.compareAndSet(this, current, current | REQUESTED)) {
                return;
            }
        }
    }

    /**
     * The subscriber gave up: each stage gives back what it holds (once: an end that came first gave it back
     * already), then what the subscription waits on is cancelled and a value not delivered is discarded.
     */
    @Override
    public void cancel() {
        int before;
        do {
            before = state;
            // A cancel after the end (block() and toFuture() cancel once they have the value; zip, take) gives
            // nothing back and discards nothing: the end settled everything. No CAS for it.
            if ((before & (CANCELLED | TERMINATED)) != 0) {
                return;
            }
        } while (!STATE.compareAndSet(this, before, before | CANCELLED));
        for (Stage stage : stages) {
            stage.cancelled(this);
        }
        cancelHeld(HELD.getAndSet(this, CANCELLED_MARK));
        // The value is the cancel's to discard before the upstream's end (refused from now on) and once it waits for
        // a request; in between, the end that took it discards it (or delivers it, having terminated first).
        Object discarded = (before & DONE) == 0 || (before & READY) != 0 ? value : null;
        if (discarded != null) {
            value = null;
            Operators.onDiscard(discarded, currentContext());
        }
    }

    /** Gives up {@code waitedOn}: an upstream, a backoff, a slot's waiter or a timed attempt. */
    static void cancelHeld(Object waitedOn) {
        if (waitedOn instanceof Subscription subscription) {
            subscription.cancel();
        } else if (waitedOn instanceof Disposable disposable) {
            disposable.dispose();
        } else if (waitedOn instanceof Future<?> future) {
            future.cancel(false);
        }
    }

    /** The stages inside {@code stage} give back what they hold: its attempt was abandoned (a deadline passed). */
    void abandonInside(int stage) {
        for (int inner = stage + 1; inner < stages.length; inner++) {
            stages[inner].cancelled(this);
        }
    }

    @Override
    public Context currentContext() {
        return actual.currentContext();
    }

    /** The subscriber's bookkeeping, set for this subscription; {@code false} (and not set) once it cancelled. */
    boolean hold(int bit) {
        for (;;) {
            int current = state;
            if ((current & CANCELLED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, current | bit)) {
                return true;
            }
        }
    }

    /** Clears {@code bit}; {@code true} for the one caller that found it set (the end or the cancel). */
    boolean release(int bit) {
        for (;;) {
            int current = state;
            if ((current & bit) == 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, current & ~bit)) {
                return true;
            }
        }
    }

    /** Moves {@code from} to {@code to} if {@code from} is still set. */
    boolean move(int from, int to) {
        for (;;) {
            int current = state;
            if ((current & from) == 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, (current & ~from) | to)) {
                return true;
            }
        }
    }

    /** The attempts this subscription made, the current one included. */
    int attempts() {
        return state >>> MADE_SHIFT;
    }

    /**
     * Makes {@code waitedOn} what the subscription, or its timed attempt {@code within}, waits on; {@code false} once
     * the subscriber cancelled (or the timed attempt ended), and the caller gives it up.
     */
    boolean await(Object waitedOn, MonoPolicies.Deadline within) {
        return within != null ? within.await(waitedOn) : HELD.compareAndSet(this, null, waitedOn);
    }

    /** No longer waits on {@code waitedOn}; {@code false} when it was given up meanwhile. */
    boolean stopWaiting(Object waitedOn, MonoPolicies.Deadline within) {
        return within != null ? within.stopWaiting(waitedOn) : HELD.compareAndSet(this, waitedOn, null);
    }

    /** The upstream that terminated gives way to {@code next}; {@code false} once the subscriber cancelled. */
    private boolean replaceUpstream(Object next, int clear, int add) {
        for (;;) {
            Object last = held;
            if (last == CANCELLED_MARK) {
                return false;
            }
            if (HELD.compareAndSet(this, last, next)) {
                break;
            }
        }
        for (;;) {
            int current = state;
            if (STATE.compareAndSet(this, current, (current & ~clear) + add)) {
                return true;
            }
        }
    }

    /**
     * The attempt inside stage {@code stage} (a retry) failed: the next one enters the stages inside it after
     * {@code delayNanos}.
     */
    void retryAfter(int stage, long delayNanos) {
        if (!replaceUpstream(null, DONE, MADE_ONE)) {
            return;
        }
        Throwable refused = after(delayNanos, () -> enter(stage + 1), null);
        if (refused != null) {
            end(stage, null, refused);
        }
    }

    /**
     * Runs {@code next} after {@code delayNanos} on Reactor's parallel scheduler (so virtual time drives it), unless
     * the subscriber cancels (or the timed attempt {@code within} is abandoned) first, which stops the wait.
     *
     * @return the failure to end with when the scheduler refuses the wait, else {@code null}
     */
    Throwable after(long delayNanos, Runnable next, MonoPolicies.Deadline within) {
        Pause pause = new Pause(this, next, within);
        if (!await(pause, within)) {
            return null; // cancelled
        }
        try {
            pause.task = Schedulers.parallel().schedule(pause, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException rejected) {
            return stopWaiting(pause, within) ? Operators.onRejectedExecution(rejected, currentContext()) : null;
        }
        if (pause.disposed) { // cancelled before the task was known
            pause.task.dispose();
        }
        return null;
    }

    /**
     * Ends the attempt inside stage {@code stage} with {@code failure}; within a timed attempt only if its deadline
     * has not passed (it ended the attempt itself).
     */
    void failInside(int stage, Throwable failure, MonoPolicies.Deadline within) {
        if (within == null || within.end()) {
            end(stage, null, failure);
        }
    }

    /** Stage {@code stage} (a fallback) answers with {@code answer}, whose end is then its own. */
    @SuppressWarnings("unchecked")
    void answerWith(int stage, Publisher<?> answer) {
        if (replaceUpstream(null, DONE | ANSWER_MASK, (stage + 1) << ANSWER_SHIFT)) {
            Mono.from((Publisher<Object>) answer).subscribe(this);
        }
    }

    /** The number of stages: {@link #end} from there is the method's end. */
    int stageCount() {
        return stages.length;
    }

    /** A wait the subscription holds (cancelling it disposes the task), then what comes next. */
    private static final class Pause implements Runnable, Disposable {
        private final GuardedMono call;
        private final Runnable next;
        private final MonoPolicies.Deadline within;
        volatile Disposable task;
        volatile boolean disposed;

        Pause(GuardedMono call, Runnable next, MonoPolicies.Deadline within) {
            this.call = call;
            this.next = next;
            this.within = within;
        }

        @Override
        public void run() {
            if (call.stopWaiting(this, within)) {
                next.run();
            }
        }

        @Override
        public void dispose() {
            disposed = true;
            Disposable set = task;
            if (set != null) {
                set.dispose();
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }

    /**
     * One policy of a {@code Mono} method: immutable, one per pipeline, its per-subscription state in the
     * {@link GuardedMono} it is given. The stage at {@code stage} of the call's stages is told of each event.
     */
    abstract static class Stage {

        /**
         * A subscription (or a retry's attempt) reaches the stage, within the timed attempt {@code within} if the
         * stage is inside a timeout ({@code null} otherwise). {@code true} goes on inward; {@code false} stops, the
         * stage having ended the attempt ({@code call.end(stage, ...)}) or taking it on later
         * ({@code call.enter(stage + 1, within)}).
         */
        boolean enter(GuardedMono call, int stage, MonoPolicies.Deadline within) {
            return true;
        }

        /** What is inside the stage ended; the stage settles and passes the outcome on with {@code call.end(stage, ...)}. */
        void ended(GuardedMono call, int stage, Object item, Throwable failure) {
            call.end(stage, item, failure);
        }

        /** The subscriber cancelled (or a deadline abandoned the attempt); may come at any time, from any thread. */
        void cancelled(GuardedMono call) {
        }
    }
}
