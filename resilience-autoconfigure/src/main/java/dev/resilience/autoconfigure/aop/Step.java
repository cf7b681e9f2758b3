package dev.resilience.autoconfigure.aop;

import dev.resilience.ResilienceContext;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.chaos.Chaos;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.GuardedCallObserver;
import dev.resilience.core.GuardedCallObserver.CallOutcome;
import dev.resilience.core.Sleeper;
import dev.resilience.degradation.Feature;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.lastknowngood.LastKnownGood;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;
import dev.resilience.timeout.Timeout;
import java.util.List;
import org.aopalliance.intercept.MethodInvocation;

/**
 * One policy of a synchronous method's pipeline, wrapping the next. Steps are immutable and shared by every
 * call of the method; a call allocates nothing in them on success.
 */
abstract sealed class Step permits Step.Invoke, Step.FallbackStep, Step.DegradableStep, Step.RetryStep,
        Step.CircuitBreakerStep, Step.RateLimiterStep, Step.TimeoutStep, Step.BulkheadStep, Step.ChaosStep,
        Step.LastKnownGoodStep, Step.ObservationStep {

    abstract Object proceed(MethodInvocation invocation) throws Throwable;

    /**
     * The chain from {@code head} in the form a caller invoking the method itself runs (see {@link InlinePipeline}),
     * or {@code null} when a step needs the invocation or another thread: a timeout, a last-known-good answer. Its
     * policies and observer are the chain's own, so both forms share state (windows, slots, counts).
     */
    static InlinePipeline inline(Step head) {
        FallbackChain fallback = null;
        Feature feature = null;
        Retry retry = null;
        Sleeper sleeper = null;
        CircuitBreaker breaker = null;
        RateLimiter limiter = null;
        Bulkhead bulkhead = null;
        Chaos[] chaos = null;
        GuardedCallObserver.MethodObserver observer = null;
        for (Step step = head; !(step instanceof Invoke);) {
            if (step instanceof FallbackStep each) {
                fallback = each.chain;
                step = each.next;
            } else if (step instanceof DegradableStep each) {
                feature = each.feature;
                step = each.next;
            } else if (step instanceof RetryStep each) {
                retry = each.retry;
                sleeper = each.sleeper;
                step = each.next;
            } else if (step instanceof CircuitBreakerStep each) {
                breaker = each.breaker;
                step = each.next;
            } else if (step instanceof RateLimiterStep each) {
                limiter = each.limiter;
                step = each.next;
            } else if (step instanceof BulkheadStep each) {
                bulkhead = each.bulkhead;
                step = each.next;
            } else if (step instanceof ChaosStep each) {
                chaos = each.chaos;
                step = each.next;
            } else if (step instanceof ObservationStep each) {
                observer = each.observer;
                step = each.next;
            } else {
                return null;
            }
        }
        return new InlinePipeline(observer, fallback, feature, retry, sleeper, breaker, limiter, bulkhead, chaos);
    }

    /** The method itself (and any interceptors inside ours). */
    static final class Invoke extends Step {
        @Override
        Object proceed(MethodInvocation invocation) throws Throwable {
            return invocation.proceed();
        }
    }

    /** Fault injection, innermost: every policy reacts to what it injects as to a real fault. */
    static final class ChaosStep extends Step {
        private final Chaos[] chaos;
        private final Step next;

        ChaosStep(List<Chaos> chaos, Step next) {
            this.chaos = chaos.toArray(Chaos[]::new);
            this.next = next;
        }

        @Override
        Object proceed(MethodInvocation invocation) throws Throwable {
            for (Chaos each : chaos) {
                each.inject();
            }
            return next.proceed(invocation);
        }
    }

    static final class FallbackStep extends Step {
        private final FallbackChain chain;
        private final Step next;

        FallbackStep(FallbackChain chain, Step next) {
            this.chain = chain;
            this.next = next;
        }

        @Override
        Object proceed(MethodInvocation invocation) throws Throwable {
            try {
                return next.proceed(invocation);
            } catch (Throwable failure) {
                return recover(chain, invocation.getThis(), invocation.getArguments(), failure);
            }
        }

        /** {@code chain}'s answer to a call that failed, told to the observed call the thread runs, if any. */
        static Object recover(FallbackChain chain, Object target, Object[] arguments, Throwable failure)
                throws Throwable {
            ObservedCallState observed = ObservedCallState.current();
            if (observed == null) {
                return chain.recover(target, arguments, failure);
            }
            if (chain.appliesTo(failure)) {
                observed.fallback(failure);
            }
            Object answer = chain.recover(target, arguments, failure);
            observed.answeredBy(CallOutcome.FALLBACK);
            return answer;
        }
    }

    static final class DegradableStep extends Step {
        private final Feature feature;
        private final Step next;

        DegradableStep(Feature feature, Step next) {
            this.feature = feature;
            this.next = next;
        }

        @Override
        Object proceed(MethodInvocation invocation) throws Throwable {
            feature.checkAvailable();
            return next.proceed(invocation);
        }
    }

    static final class RetryStep extends Step {
        private final Retry retry;
        private final Sleeper sleeper;
        private final Step next;
        private final Reinvocation reinvocation = new Reinvocation();

        RetryStep(Retry retry, Sleeper sleeper, Step next) {
            this.retry = retry;
            this.sleeper = sleeper;
            this.next = next;
        }

        @Override
        Object proceed(MethodInvocation invocation) throws Throwable {
            long start = retry.begin();
            boolean reused = reinvocation.reusable(invocation);
            for (int attempt = 1;; attempt++) {
                Object result;
                boolean rejected;
                try {
                    result = next.proceed(reused ? invocation : Reinvocation.copy(invocation));
                    rejected = retry.rejects(result); // a predicate that throws fails the attempt, not retried
                } catch (Throwable failure) {
                    long delay = retry.delayBeforeRetry(attempt, start, failure);
                    if (delay == Retry.NO_RETRY || reused && !reinvocation.stillReusable(invocation)) {
                        retry.onFailure(attempt);
                        throw failure;
                    }
                    if (!paused(retry, sleeper, attempt, failure, delay)) {
                        throw failure;
                    }
                    continue;
                }
                if (!rejected) {
                    retry.onSuccess(attempt);
                    return result;
                }
                long delay = retry.delayBeforeRetryOnResult(attempt, start);
                if (delay == Retry.NO_RETRY || reused && !reinvocation.stillReusable(invocation)) {
                    retry.onFailure(attempt);
                    return result;
                }
                if (!paused(retry, sleeper, attempt, null, delay)) {
                    return result;
                }
            }
        }

        /**
         * The wait of {@code delay} before the attempt after {@code attempt}, which failed with {@code cause} (null:
         * its result was rejected), told first to the observed call the thread runs, if any. An interrupted wait
         * gives up: the interrupt is kept, the call counted failed, and {@code false} answered (the caller ends the
         * call with the last failure or result).
         */
        static boolean paused(Retry retry, Sleeper sleeper, int attempt, Throwable cause, long delay) {
            ObservedCallState observed = ObservedCallState.current();
            if (observed != null) {
                observed.retry(attempt, cause);
            }
            try {
                sleeper.sleep(delay);
                return true;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                retry.onFailure(attempt);
                return false;
            }
        }
    }

    static final class CircuitBreakerStep extends Step {
        private final CircuitBreaker breaker;
        private final Step next;

        CircuitBreakerStep(CircuitBreaker breaker, Step next) {
            this.breaker = breaker;
            this.next = next;
        }

        @Override
        Object proceed(MethodInvocation invocation) throws Throwable {
            Object permit = breaker.acquirePermission();
            long start = breaker.now();
            Object result;
            try {
                result = next.proceed(invocation);
            } catch (Throwable failure) {
                breaker.onResult(permit, start, failure);
                throw failure;
            }
            breaker.onSuccess(permit, start, result);
            return result;
        }
    }

    static final class RateLimiterStep extends Step {
        private final RateLimiter limiter;
        private final Step next;

        RateLimiterStep(RateLimiter limiter, Step next) {
            this.limiter = limiter;
            this.next = next;
        }

        @Override
        Object proceed(MethodInvocation invocation) throws Throwable {
            limiter.acquirePermission();
            return next.proceed(invocation);
        }
    }

    /** Runs the rest of the pipeline on a worker, so the caller can be answered at the deadline. */
    static final class TimeoutStep extends Step {
        private final Timeout timeout;
        private final Step next;

        TimeoutStep(Timeout timeout, Step next) {
            this.timeout = timeout;
            this.next = next;
        }

        @Override
        Object proceed(MethodInvocation invocation) throws Throwable {
            return timeout.call(() -> next.proceed(invocation));
        }
    }

    static final class BulkheadStep extends Step {
        private final Bulkhead bulkhead;
        private final Step next;

        BulkheadStep(Bulkhead bulkhead, Step next) {
            this.bulkhead = bulkhead;
            this.next = next;
        }

        @Override
        Object proceed(MethodInvocation invocation) throws Throwable {
            bulkhead.acquire();
            try {
                return next.proceed(invocation);
            } finally {
                bulkhead.release();
            }
        }
    }

    /**
     * {@code @LastKnownGood}: stores each good result and/or answers a failure from the store (see
     * {@link LastKnownGoodPolicy}). The step that serves tells the calling thread's {@link ResilienceContext}.
     */
    static final class LastKnownGoodStep extends Step {
        private final LastKnownGood store;
        private final CallKey key;
        private final boolean stores;
        private final boolean serves;
        private final Step next;

        LastKnownGoodStep(LastKnownGoodPolicy policy, Step next) {
            this.store = policy.store();
            this.key = policy.key();
            this.stores = policy.stores();
            this.serves = policy.serves();
            this.next = next;
        }

        @Override
        Object proceed(MethodInvocation invocation) throws Throwable {
            Object callKey = stores ? key.of(invocation) : null; // taken before the method may change its arguments
            ResilienceContext.Capture capture = serves ? ResilienceContext.takeCapture() : null;
            Object result;
            try {
                result = next.proceed(invocation);
            } catch (Throwable failure) {
                if (!serves) {
                    throw failure;
                }
                LastKnownGood.Served served = store.recover(stores ? callKey : key.of(invocation), failure);
                if (served == null) {
                    tell(capture, ResilienceContext.LastCall.LIVE);
                    throw failure;
                }
                tell(capture, ResilienceContext.LastCall.stale(served.age()));
                ObservedCallState observed = ObservedCallState.current();
                if (observed != null) {
                    observed.answeredBy(CallOutcome.STALE);
                }
                return served.value();
            }
            if (stores) {
                store.store(callKey, result);
            }
            if (serves) {
                tell(capture, ResilienceContext.LastCall.LIVE);
            }
            return result;
        }

        private static void tell(ResilienceContext.Capture capture, ResilienceContext.LastCall call) {
            ResilienceContext.setLastCall(call);
            if (capture != null) {
                capture.record(call);
            }
        }
    }

    /**
     * Outermost, only in pipelines whose calls are observed: one observation per call, current on the calling thread
     * while the steps inside run, ended with the call's outcome before the caller sees it.
     */
    static final class ObservationStep extends Step {
        private final GuardedCallObserver.MethodObserver observer;
        private final Step next;

        ObservationStep(GuardedCallObserver.MethodObserver observer, Step next) {
            this.observer = observer;
            this.next = next;
        }

        @Override
        Object proceed(MethodInvocation invocation) throws Throwable {
            GuardedCallObserver.ObservedCall call = observer.start();
            if (call == null) {
                return next.proceed(invocation);
            }
            ObservedCallState.Open observed = ObservedCallState.open(call);
            Object result;
            try {
                result = next.proceed(invocation);
            } catch (Throwable failure) {
                observed.close(failure);
                throw failure;
            }
            observed.close(null);
            return result;
        }
    }
}
