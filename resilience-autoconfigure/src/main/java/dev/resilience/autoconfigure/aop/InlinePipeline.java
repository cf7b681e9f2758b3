package dev.resilience.autoconfigure.aop;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.chaos.Chaos;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.GuardedCallObserver;
import dev.resilience.core.Sleeper;
import dev.resilience.degradation.Feature;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;

/**
 * A synchronous method's pipeline for a caller that invokes the method itself, between calls to this object: the
 * AspectJ aspect's advice, which calls its {@code proceed} in its own body so that ajc inlines the advice into each
 * woven method and no closure is made per call. The policies and their calls are the ones of the method's
 * {@link Step} chain, taken from it (see {@link Step#inline}), in the same order; only the loop and the
 * {@code try} blocks move into the caller. The caller's shape, for each call:
 *
 * <pre>{@code
 * Object observation = inline.observe();
 * Object answer;
 * call: try {
 *     long begun = inline.begin();
 *     for (int attempt = 1;; attempt++) {
 *         Object result;
 *         boolean rejected;
 *         try {
 *             Object permit = inline.permit();
 *             long started = inline.started();
 *             try {
 *                 boolean held = inline.enter();
 *                 try {
 *                     result = proceed();
 *                 } finally {
 *                     inline.leave(held);
 *                 }
 *             } catch (Throwable failure) {
 *                 inline.failed(permit, started, failure);
 *                 throw failure;
 *             }
 *             rejected = inline.succeeded(permit, started, result);
 *         } catch (Throwable failure) {
 *             inline.retryAfter(attempt, begun, failure); // rethrows when not retried
 *             continue;
 *         }
 *         if (inline.answers(rejected, attempt, begun)) {
 *             answer = result;
 *             break call;
 *         }
 *     }
 * } catch (Throwable failure) {
 *     answer = inline.recover(self, arguments, failure, observation); // rethrows without a fallback that answers
 * }
 * return inline.end(observation, answer);
 * }</pre>
 *
 * <p>Only pipelines whose steps all run on the calling thread, around one invocation, have this form: none with a
 * timeout (which runs the method on a worker) or a last-known-good answer (its key is read from the invocation);
 * {@link MethodPipeline#inline()} is {@code null} for the others. An observed method's call is observed as the step
 * chain observes it: current on the thread, its scope open, from {@link #observe()} to its end. Immutable and shared
 * by every call; a successful call allocates nothing here unless it is observed. What the method or a policy throws
 * is thrown on as it is, checked or not, though no method here declares it (woven code cannot declare
 * {@code Throwable}).
 */
public final class InlinePipeline {

    static final InlinePipeline NONE = new InlinePipeline(null, null, null, null, null, null, null, null, null);

    private final GuardedCallObserver.MethodObserver observer;
    private final FallbackChain fallback;
    private final Feature feature;
    private final Retry retry;
    private final Sleeper sleeper;
    private final CircuitBreaker breaker;
    private final RateLimiter limiter;
    private final Bulkhead bulkhead;
    private final Chaos[] chaos;

    InlinePipeline(GuardedCallObserver.MethodObserver observer, FallbackChain fallback, Feature feature, Retry retry,
            Sleeper sleeper, CircuitBreaker breaker, RateLimiter limiter, Bulkhead bulkhead, Chaos[] chaos) {
        this.observer = observer;
        this.fallback = fallback;
        this.feature = feature;
        this.retry = retry;
        this.sleeper = sleeper;
        this.breaker = breaker;
        this.limiter = limiter;
        this.bulkhead = bulkhead;
        this.chaos = chaos;
    }

    /**
     * Starts the call's observation, which is then current on the thread with its scope open until {@link #end} or
     * {@link #recover} ends it.
     *
     * @return what to hand to those; {@code null} when the call is not observed
     */
    public Object observe() {
        if (observer == null) {
            return null;
        }
        GuardedCallObserver.ObservedCall call = observer.start();
        return call == null ? null : ObservedCallState.open(call);
    }

    /** The call answers {@code answer}: ends its observation ({@code observation}, if any) and returns it. */
    public Object end(Object observation, Object answer) {
        if (observation != null) {
            ((ObservedCallState.Open) observation).close(null);
        }
        return answer;
    }

    /**
     * Before the first attempt: the degradable feature's check (throws when it is shed), then the retry's start.
     *
     * @return the start to hand to {@link #retryAfter} and {@link #answers}
     */
    public long begin() {
        if (feature != null) {
            feature.checkAvailable();
        }
        return retry != null ? retry.begin() : 0L;
    }

    /** An attempt's permission from the circuit breaker (throws while it is open); {@code null} without one. */
    public Object permit() {
        return breaker != null ? breaker.acquirePermission() : null;
    }

    /** When the attempt started, on the breaker's clock; 0 without a breaker. */
    public long started() {
        return breaker != null ? breaker.now() : 0L;
    }

    /**
     * The rate limiter's permission, the bulkhead's slot and the injected faults, in that order; what it takes is
     * given back when a later one throws.
     *
     * @return whether a bulkhead slot is held, to give back with {@link #leave} once the method returns
     */
    public boolean enter() {
        if (limiter != null) {
            limiter.acquirePermission();
        }
        if (bulkhead == null) {
            inject();
            return false;
        }
        bulkhead.acquire();
        try {
            inject();
        } catch (Throwable injected) {
            bulkhead.release();
            throw injected;
        }
        return true;
    }

    private void inject() {
        if (chaos != null) {
            try {
                for (Chaos each : chaos) {
                    each.inject();
                }
            } catch (Throwable injected) {
                throw InlinePipeline.<RuntimeException>rethrow(injected);
            }
        }
    }

    /** Gives back the bulkhead slot {@link #enter()} took, if it took one ({@code held}). */
    public void leave(boolean held) {
        if (held) {
            bulkhead.release();
        }
    }

    /** The attempt failed, before or in the method: the breaker records it. */
    public void failed(Object permit, long started, Throwable failure) {
        if (breaker != null) {
            breaker.onResult(permit, started, failure);
        }
    }

    /**
     * The method answered {@code result}: the breaker records it, then the retry judges it (a predicate of either
     * that throws fails the attempt).
     *
     * @return whether the retry rejects {@code result}, i.e. would try again
     */
    public boolean succeeded(Object permit, long started, Object result) {
        if (breaker != null) {
            breaker.onSuccess(permit, started, result);
        }
        return retry != null && retry.rejects(result);
    }

    /**
     * Attempt {@code attempt} failed with {@code failure}: waits before the next attempt when the retry allows one,
     * else rethrows {@code failure} as it is (also when the wait is interrupted, keeping the interrupt).
     */
    public void retryAfter(int attempt, long begun, Throwable failure) {
        long delay = retry != null ? retry.delayBeforeRetry(attempt, begun, failure) : Retry.NO_RETRY;
        if (delay == Retry.NO_RETRY) {
            if (retry != null) {
                retry.onFailure(attempt);
            }
            throw InlinePipeline.<RuntimeException>rethrow(failure);
        }
        if (!Step.RetryStep.paused(retry, sleeper, attempt, failure, delay)) {
            throw InlinePipeline.<RuntimeException>rethrow(failure);
        }
    }

    /**
     * Whether attempt {@code attempt}'s result answers the call: it does when the retry does not reject it, or
     * rejects it but allows no other attempt, or the wait before the next is interrupted (the interrupt is kept);
     * else waits before the next attempt and answers {@code false}.
     */
    public boolean answers(boolean rejected, int attempt, long begun) {
        if (!rejected) {
            if (retry != null) {
                retry.onSuccess(attempt);
            }
            return true;
        }
        long delay = retry.delayBeforeRetryOnResult(attempt, begun);
        if (delay == Retry.NO_RETRY) {
            retry.onFailure(attempt);
            return true;
        }
        return !Step.RetryStep.paused(retry, sleeper, attempt, null, delay);
    }

    /**
     * The call failed with {@code failure}: the fallback chain's answer, with the call's {@code self} and
     * {@code arguments}, for {@link #end} to return; rethrows {@code failure} as it is without a chain that applies,
     * else the last fallback's failure, ending the call's observation ({@code observation}, if any) with it.
     */
    public Object recover(Object self, Object[] arguments, Throwable failure, Object observation) {
        try {
            if (fallback == null) {
                throw failure;
            }
            return Step.FallbackStep.recover(fallback, self, arguments, failure);
        } catch (Throwable unanswered) {
            if (observation != null) {
                ((ObservedCallState.Open) observation).close(unanswered);
            }
            throw InlinePipeline.<RuntimeException>rethrow(unanswered);
        }
    }

    /** Throws {@code failure} as it is, checked or not: the caller (woven code) cannot declare {@code Throwable}. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrow(Throwable failure) throws T {
        throw (T) failure;
    }
}
