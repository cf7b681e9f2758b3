package dev.resilience.autoconfigure.aop;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * One call of a {@code Mono} method whose policies all have a {@link Stage}: the only object a call assembles. Each
 * subscription runs the stages outermost first, each adding at most one subscriber of its own, and the method is
 * invoked as the innermost stage subscribes (again at each subscription and each retry). A policy's subscriber is
 * also its downstream's {@code Subscription}, and does the policy's bookkeeping on the signals: this replaces the
 * {@code Flux} operators ({@code defer} and two or three {@code doOn...} per policy) that a {@code Mono} otherwise
 * went through and back.
 */
final class GuardedMono extends Mono<Object> {

    private final Stage[] stages;
    final MethodInvocation invocation;
    /** Whether {@link #invocation} itself may be proceeded (our interceptor is innermost), else a copy is. */
    private final boolean reusable;

    private GuardedMono(Stage[] stages, MethodInvocation invocation, boolean reusable) {
        this.stages = stages;
        this.invocation = invocation;
        this.reusable = reusable;
    }

    /** One call's {@code Mono}, through Reactor's assembly hooks (debug tracebacks) like Reactor's own operators. */
    static Mono<Object> of(Stage[] stages, MethodInvocation invocation, boolean reusable) {
        return onAssembly(new GuardedMono(stages, invocation, reusable));
    }

    @Override
    public void subscribe(CoreSubscriber<? super Object> actual) {
        subscribeFrom(0, actual);
    }

    /** Subscribes {@code subscriber} to the stages from {@code stage} inward, and to the method inside them. */
    @SuppressWarnings("unchecked")
    void subscribeFrom(int stage, CoreSubscriber<? super Object> subscriber) {
        if (stage < stages.length) {
            stages[stage].subscribe(this, stage + 1, subscriber);
            return;
        }
        Object result;
        try {
            result = (reusable ? invocation : Reinvocation.copy(invocation)).proceed();
        } catch (Throwable failure) {
            Operators.error(subscriber, failure);
            return;
        }
        if (result == null) {
            Operators.complete(subscriber);
        } else if (result instanceof Fuseable.ScalarCallable<?> known && subscriber instanceof PolicySubscriber policy) {
            policy.answered(known);
        } else {
            ((Publisher<Object>) result).subscribe(subscriber);
        }
    }

    /**
     * This call for a retry's next attempt: it proceeds a fresh copy of the invocation, as the reactive path always
     * did, so that interceptors added inside ours since the call are not skipped.
     */
    GuardedMono again() {
        return reusable ? new GuardedMono(stages, invocation, false) : this;
    }

    /** One policy's operator: immutable, one per pipeline. */
    interface Stage {
        /**
         * Applies the policy to one subscription of {@code actual}; {@code call.subscribeFrom(inner, ...)} runs the
         * rest of the pipeline.
         */
        void subscribe(GuardedMono call, int inner, CoreSubscriber<? super Object> actual);
    }

    /**
     * One subscription through one policy. It requests everything of its upstream at once (a {@code Mono} sends at
     * most one value) and holds the value until the upstream terminates, where the policy decides; its downstream's
     * demand is kept by {@link Operators.MonoSubscriber}, which delivers the value only once requested and never
     * after a cancel. Signals of one upstream are serial; the next upstream (a retry's attempt, a fallback's
     * publisher) is subscribed only after the previous one terminated.
     */
    abstract static class PolicySubscriber extends Operators.MonoSubscriber<Object, Object> {

        private static final AtomicReferenceFieldUpdater<PolicySubscriber, Subscription> UPSTREAM =
                AtomicReferenceFieldUpdater.newUpdater(PolicySubscriber.class, Subscription.class, "upstream");

        // The current upstream; Operators' cancelled marker once cancelled, so a later one is cancelled at once.
        private volatile Subscription upstream;
        // The current upstream terminated: a later signal of it is dropped.
        private boolean done;

        PolicySubscriber(CoreSubscriber<? super Object> actual) {
            super(actual);
        }

        /** Hands this subscription to the downstream; {@code false} when the downstream cancelled meanwhile. */
        final boolean started() {
            actual.onSubscribe(this);
            return !isCancelled();
        }

        @Override
        public final void onSubscribe(Subscription subscription) {
            if (Operators.setOnce(UPSTREAM, this, subscription)) {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public final void onNext(Object item) {
            if (done || value != null) { // a second value is not a Mono's
                Operators.onNextDropped(item, currentContext());
                return;
            }
            value = item; // held, until the end decides; a cancel discards it
        }

        @Override
        public final void onError(Throwable failure) {
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
            failed(failure);
        }

        @Override
        public final void onComplete() {
            if (done) {
                return;
            }
            done = true;
            Object item = value;
            value = null;
            succeeded(item);
        }

        /**
         * The method returned a {@code Mono} whose outcome is known already ({@code Mono.just}, {@code empty},
         * {@code error}): taken as its signals without subscribing to it, as Reactor's own operators do with such
         * sources (it saves the subscription a {@code Mono} would allocate).
         */
        final void answered(Fuseable.ScalarCallable<?> known) {
            Object item;
            try {
                item = known.call();
            } catch (Throwable failure) {
                Exceptions.throwIfJvmFatal(failure);
                onError(Exceptions.unwrap(failure));
                return;
            }
            if (item != null) {
                onNext(item);
            }
            onComplete();
        }

        @Override
        public final void cancel() {
            super.cancel();
            cancelled();
            Operators.terminate(UPSTREAM, this);
        }

        /** The upstream completed, with {@code item} or empty ({@code null}). */
        abstract void succeeded(Object item);

        /** The upstream failed. */
        abstract void failed(Throwable failure);

        /** The downstream cancelled; may come at any time, from any thread, more than once. */
        abstract void cancelled();

        /** Delivers {@code item} (then completion), or completion alone for {@code null}. */
        final void emit(Object item) {
            if (item == null) {
                actual.onComplete();
            } else {
                complete(item);
            }
        }

        /** Cancels the current upstream (and any later one): this subscription ends without it. */
        final void cancelUpstream() {
            Operators.terminate(UPSTREAM, this);
        }

        /**
         * Readies this subscriber for another upstream after the last one terminated; {@code false} when the
         * downstream has cancelled (nothing is to be subscribed then).
         */
        final boolean detach() {
            Subscription last = upstream;
            done = false;
            return last != Operators.cancelledSubscription() && UPSTREAM.compareAndSet(this, last, null);
        }
    }
}
