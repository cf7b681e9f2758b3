package dev.resilience.retry;

import dev.resilience.core.SecondBuckets;

/**
 * Counts first attempts and retries per second over a sliding window, and grants a retry only within
 * {@code ratio × first attempts + min-retries-per-second × window seconds}. A retry is counted before it is
 * checked and given back when refused, so concurrent callers never overshoot the budget. Lock-free; recording a
 * first attempt is one atomic increment.
 */
final class RetryBudget {

    private static final int REQUESTS = 0;
    private static final int RETRIES = 1;

    private final RetryBudgetConfig config;
    private final int seconds;
    private final long minimum;
    private final SecondBuckets buckets;

    RetryBudget(RetryBudgetConfig config) {
        this.config = config;
        this.seconds = (int) config.window().toSeconds();
        this.minimum = (long) config.minRetriesPerSecond() * seconds;
        this.buckets = new SecondBuckets(seconds, 2);
    }

    void recordRequest(long nowNanos) {
        int bucket = buckets.bucketFor(SecondBuckets.secondOf(nowNanos));
        if (bucket >= 0) {
            buckets.add(bucket, REQUESTS, 1);
        }
    }

    /** Takes a retry from the budget; false when it is spent. */
    boolean tryRetry(long nowNanos) {
        long second = SecondBuckets.secondOf(nowNanos);
        int bucket = buckets.bucketFor(second);
        if (bucket < 0) {
            return false;
        }
        buckets.add(bucket, RETRIES, 1);
        long from = second - seconds;
        if (buckets.sum(RETRIES, from, second) <= config.ratio() * buckets.sum(REQUESTS, from, second) + minimum) {
            return true;
        }
        buckets.add(bucket, RETRIES, -1);
        return false;
    }
}
