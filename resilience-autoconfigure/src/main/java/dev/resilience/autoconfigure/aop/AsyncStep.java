package dev.resilience.autoconfigure.aop;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.chaos.Chaos;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.core.Scheduler;
import dev.resilience.degradation.Feature;
import dev.resilience.degradation.FeatureDegradedException;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.ratelimiter.RateLimitExceededException;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;
import dev.resilience.timeout.Timeout;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInvocation;

/**
 * One policy of the pipeline of a method returning {@code CompletionStage}/{@code CompletableFuture}. Policies
 * act on the stage's outcome and never block a thread: retries are scheduled, bulkhead slots are held until
 * the stage completes, breakers record on completion. Every failure, rejections included, arrives through
 * the returned stage.
 */
abstract sealed class AsyncStep permits AsyncStep.Invoke, AsyncStep.FallbackStep, AsyncStep.DegradableStep, AsyncStep.RetryStep,
        AsyncStep.CircuitBreakerStep, AsyncStep.RateLimiterStep, AsyncStep.TimeoutStep, AsyncStep.BulkheadStep,
        AsyncStep.ChaosStep {

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
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            scheduler.schedule(() -> {
                if (injected != null) {
                    outcome.completeExceptionally(injected);
                    return;
                }
                relay(next.proceed(invocation), outcome);
            }, latency);
            return outcome;
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
            return next.proceed(invocation).handle((result, failure) -> failure == null
                    ? CompletableFuture.completedFuture(result)
                    : toFuture(chain.recoverAsync(invocation.getThis(), invocation.getArguments(), failure)))
                    .thenCompose(Function.identity());
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

        RetryStep(Retry retry, Scheduler scheduler, AsyncStep next) {
            this.retry = retry;
            this.scheduler = scheduler;
            this.next = next;
        }

        @Override
        CompletableFuture<Object> proceed(MethodInvocation invocation) {
            int position = Reinvocation.positionOf(invocation);
            MethodInvocation template = Reinvocation.template(invocation, position);
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            attempt(1, retry.begin(), invocation, () -> Reinvocation.again(invocation, template, position), outcome);
            return outcome;
        }

        private void attempt(int attempt, long start, MethodInvocation invocation,
                Supplier<MethodInvocation> again, CompletableFuture<Object> outcome) {
            next.proceed(invocation).whenComplete((result, failure) -> {
                if (failure == null && !retry.rejects(result)) {
                    retry.onSuccess(attempt);
                    outcome.complete(result);
                    return;
                }
                if (failure == null) {
                    long delay = retry.delayBeforeRetryOnResult(attempt, start);
                    if (delay == Retry.NO_RETRY) {
                        retry.onFailure(attempt);
                        outcome.complete(result);
                    } else {
                        MethodInvocation nextInvocation = again.get();
                        scheduler.schedule(() -> attempt(attempt + 1, start, nextInvocation, again, outcome), delay);
                    }
                    return;
                }
                Throwable cause = FallbackChain.unwrap(failure);
                long delay = retry.delayBeforeRetry(attempt, start, cause);
                if (delay == Retry.NO_RETRY) {
                    retry.onFailure(attempt);
                    outcome.completeExceptionally(cause);
                    return;
                }
                MethodInvocation nextInvocation = again.get();
                scheduler.schedule(() -> attempt(attempt + 1, start, nextInvocation, again, outcome), delay);
            });
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
            return next.proceed(invocation).whenComplete((result, failure) -> {
                if (failure == null) {
                    breaker.onSuccess(permit, start, result);
                } else {
                    breaker.onResult(permit, start, FallbackChain.unwrap(failure));
                }
            });
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
                return CompletableFuture.failedFuture(new RateLimitExceededException(limiter.getName(),
                        "no permit within " + limiter.getConfig().timeoutDuration()));
            }
            if (wait == 0) {
                return next.proceed(invocation);
            }
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            scheduler.schedule(() -> relay(next.proceed(invocation), outcome), wait);
            return outcome;
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
            return timeout.callAsync(() -> next.proceed(invocation));
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
            return toFuture(bulkhead.acquireAsync()).thenCompose(granted ->
                    next.proceed(invocation).whenComplete((result, failure) -> bulkhead.release()));
        }
    }

    @SuppressWarnings("unchecked")
    static CompletableFuture<Object> toFuture(CompletionStage<?> stage) {
        if (stage instanceof CompletableFuture<?> future) {
            return (CompletableFuture<Object>) future;
        }
        CompletableFuture<Object> future = new CompletableFuture<>();
        relay(stage, future);
        return future;
    }

    /** Completes {@code target} as {@code source} completes, with the failure itself rather than its wrapper. */
    static void relay(CompletionStage<?> source, CompletableFuture<Object> target) {
        source.whenComplete((result, failure) -> {
            if (failure == null) {
                target.complete(result);
            } else {
                target.completeExceptionally(FallbackChain.unwrap(failure));
            }
        });
    }
}
