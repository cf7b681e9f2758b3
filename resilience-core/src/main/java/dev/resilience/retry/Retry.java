package dev.resilience.retry;

import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.core.Durations;
import dev.resilience.core.EventSink;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.ResultPredicateException;
import dev.resilience.core.Timing;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * Decides whether and when a failed call is tried again, and counts what happened. It holds no per-call
 * state: a caller keeps the attempt number and start time and asks {@link #delayBeforeRetry}.
 *
 * <pre>{@code
 * String answer = retry.call(() -> client.fetch());
 * }</pre>
 */
public final class Retry {

    /** Returned by {@link #delayBeforeRetry} when the failure must propagate. */
    public static final long NO_RETRY = -1;

    /** A start that was not measured because no {@code max-duration} applied when the call began. */
    public static final long NOT_TIMED = Long.MIN_VALUE;

    private final String name;
    private final Timing timing;
    private final DoubleSupplier random;
    private volatile Settings settings;
    private final LongAdder successfulWithoutRetry = new LongAdder();
    private final LongAdder successfulWithRetry = new LongAdder();
    private final LongAdder failedWithRetry = new LongAdder();
    private final LongAdder failedWithoutRetry = new LongAdder();
    private final LongAdder retryAttempts = new LongAdder();
    private final LongAdder budgetExhausted = new LongAdder();
    private volatile EventSink events = EventSink.NONE;

    public Retry(String name, RetryConfig config, Timing timing) {
        this(name, config, timing, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random uniform numbers in [0, 1) for jitter; a seeded source makes waits reproducible */
    public Retry(String name, RetryConfig config, Timing timing, DoubleSupplier random) {
        this.name = Objects.requireNonNull(name, "name");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.random = Objects.requireNonNull(random, "random");
        this.settings = new Settings(config);
    }

    public String getName() {
        return name;
    }

    public RetryConfig getConfig() {
        return settings.config;
    }

    /** Receives each retry; replaces any previous sink. */
    public void setEventSink(EventSink sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /** Takes a new configuration for the calls that start from now on. */
    public void reconfigure(RetryConfig config) {
        settings = new Settings(config);
    }

    /**
     * Starts a call: counts its first attempt against the budget, if any, and answers the value to pass to
     * {@link #delayBeforeRetry} as its start: the ticker reading when a {@code max-duration} or budget applies,
     * else {@link #NOT_TIMED} without reading the clock.
     */
    public long begin() {
        Settings current = settings;
        if (current.budget != null) {
            long now = timing.ticker().read();
            current.budget.recordRequest(now);
            return now;
        }
        return current.maxDurationNanos > 0 ? timing.ticker().read() : NOT_TIMED;
    }

    /** Failed calls that were not retried because the retry budget was spent. */
    public long getBudgetExhaustedCalls() {
        return budgetExhausted.sum();
    }

    /**
     * Whether attempt {@code attempt} (1 for the first call) that failed with {@code failure} is retried,
     * and after how long.
     *
     * @param startNanos what {@link #begin()} returned before the first attempt
     * @return the wait in nanoseconds before the next attempt, or {@link #NO_RETRY}
     */
    public long delayBeforeRetry(int attempt, long startNanos, Throwable failure) {
        Settings current = settings;
        if (attempt >= current.config.maxAttempts() || !isRetried(current, failure)) {
            return NO_RETRY;
        }
        return schedule(current, attempt, startNanos, failure);
    }

    /**
     * Whether {@code result} is one that {@code retry-on-result} marks as a failure.
     *
     * @throws ResultPredicateException naming this retry and the predicate, when the predicate throws; treat it
     *     as the attempt's failure (it is not retried unless {@code retry-exceptions} names it)
     */
    public boolean rejects(Object result) {
        Predicate<Object> predicate = settings.config.retryOnResult();
        if (predicate == null) {
            return false;
        }
        try {
            return predicate.test(result);
        } catch (Exception ex) {
            throw new ResultPredicateException("retry", name, "retry-on-result", predicate, result, ex);
        }
    }

    /**
     * Whether attempt {@code attempt}, which returned a value that {@code retry-on-result} rejects, is retried,
     * and after how long.
     *
     * @return the wait in nanoseconds before the next attempt, or {@link #NO_RETRY}: then the value is returned
     */
    public long delayBeforeRetryOnResult(int attempt, long startNanos) {
        Settings current = settings;
        if (attempt >= current.config.maxAttempts()) {
            return NO_RETRY;
        }
        return schedule(current, attempt, startNanos, "a rejected result");
    }

    /** The wait before the next attempt, unless max-duration or the budget forbids it; counts and reports it. */
    private long schedule(Settings current, int attempt, long startNanos, Object cause) {
        long delay = delay(current, attempt);
        if (current.maxDurationNanos > 0 && startNanos != NOT_TIMED
                && timing.ticker().read() - startNanos + delay >= current.maxDurationNanos) {
            return NO_RETRY;
        }
        if (!withinBudget(current)) {
            return NO_RETRY;
        }
        retryAttempts.increment();
        EventSink sink = events;
        if (sink != EventSink.NONE) {
            sink.publish("retry", name, "RETRY", "attempt " + (attempt + 1) + " in " + delay / 1_000_000
                    + " ms after " + cause);
        }
        return delay;
    }

    /** Takes a retry from the budget, if any; counts and reports a spent budget. */
    private boolean withinBudget(Settings current) {
        if (current.budget == null || current.budget.tryRetry(timing.ticker().read())) {
            return true;
        }
        budgetExhausted.increment();
        EventSink sink = events;
        if (sink != EventSink.NONE) {
            sink.publish("retry", name, "BUDGET_EXHAUSTED", current.budgetExhaustedDetail);
        }
        return false;
    }

    /** Counts a call that ended in success after {@code attempts} attempts. */
    public void onSuccess(int attempts) {
        (attempts == 1 ? successfulWithoutRetry : successfulWithRetry).increment();
    }

    /** Counts a call whose failure propagates after {@code attempts} attempts. */
    public void onFailure(int attempts) {
        (attempts == 1 ? failedWithoutRetry : failedWithRetry).increment();
    }

    public RetryMetrics getMetrics() {
        return new RetryMetrics(successfulWithoutRetry.sum(), successfulWithRetry.sum(), failedWithRetry.sum(),
                failedWithoutRetry.sum(), retryAttempts.sum());
    }

    /**
     * Runs {@code call}, retrying through the {@link dev.resilience.core.Sleeper}; a convenience for
     * plain-Java use. On exhaustion the last failure is rethrown unchanged.
     */
    public <T> T call(Callable<T> call) throws Exception {
        long start = begin();
        for (int attempt = 1;; attempt++) {
            T result;
            boolean rejected;
            try {
                result = call.call();
                rejected = rejects(result);
            } catch (Exception failure) {
                long delay = delayBeforeRetry(attempt, start, failure);
                if (delay == NO_RETRY) {
                    onFailure(attempt);
                    throw failure;
                }
                timing.sleeper().sleep(delay);
                continue;
            }
            if (!rejected) {
                onSuccess(attempt);
                return result;
            }
            long delay = delayBeforeRetryOnResult(attempt, start);
            if (delay == NO_RETRY) {
                onFailure(attempt);
                return result;
            }
            timing.sleeper().sleep(delay);
        }
    }

    private static boolean isRetried(Settings current, Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException && !current.retriesOpenBreaker) {
            return false;
        }
        if (failure instanceof ResultPredicateException && !current.retriesBrokenPredicate) {
            return false; // a predicate that cannot judge the result will not judge it on the next attempt either
        }
        return current.classifier.includes(failure);
    }

    /** The wait after failed attempt {@code attempt}: exponential, jittered, capped. */
    private long delay(Settings current, int attempt) {
        RetryConfig config = current.config;
        double wait = current.waitNanos * Math.pow(config.backoffMultiplier(), attempt - 1);
        if (config.jitter() > 0) {
            wait *= 1 - config.jitter() + 2 * config.jitter() * random.getAsDouble();
        }
        return (long) Math.min(wait, current.maxWaitNanos);
    }

    @Override
    public String toString() {
        return "Retry[" + name + "]";
    }

    private static final class Settings {
        final RetryConfig config;
        final ExceptionClassifier classifier;
        final boolean retriesOpenBreaker;
        final boolean retriesBrokenPredicate;
        final long waitNanos;
        final long maxWaitNanos;
        final long maxDurationNanos;
        final RetryBudget budget;
        final String budgetExhaustedDetail;

        Settings(RetryConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            this.classifier = ExceptionClassifier.of(config.retryExceptions(), config.ignoreExceptions());
            this.retriesOpenBreaker = config.retryExceptions().contains(CircuitBreakerOpenException.class);
            this.retriesBrokenPredicate = config.retryExceptions().contains(ResultPredicateException.class);
            this.waitNanos = Durations.toNanos(config.waitDuration());
            this.maxWaitNanos = Durations.toNanos(config.maxWaitDuration());
            this.maxDurationNanos = config.maxDuration() == null ? 0 : Durations.toNanos(config.maxDuration());
            this.budget = config.budget() == null ? null : new RetryBudget(config.budget());
            this.budgetExhaustedDetail = config.budget() == null ? null : "retry budget of " + config.budget().ratio()
                    + " per first attempt over " + config.budget().window() + " spent";
        }

    }
}
