package dev.resilience.retry;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts first attempts and retries per second over a sliding window, and grants a retry only within
 * {@code ratio × first attempts + min-retries-per-second × window seconds}. A retry is counted before it is
 * checked and given back when refused, so concurrent callers never overshoot the budget. Lock-free; recording a
 * first attempt is one atomic increment.
 */
final class RetryBudget {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long RESETTING = Long.MIN_VALUE;
    private static final long EMPTY = Long.MIN_VALUE + 1;
    private static final int EPOCH = 0;
    private static final int REQUESTS = 1;
    private static final int RETRIES = 2;

    private final RetryBudgetConfig config;
    private final int seconds;
    private final long minimum;
    // Per bucket: epoch second, first attempts, retries. A bucket counts only while its epoch is in the window.
    private final AtomicLongArray buckets;

    RetryBudget(RetryBudgetConfig config) {
        this.config = config;
        this.seconds = (int) config.window().toSeconds();
        this.minimum = (long) config.minRetriesPerSecond() * seconds;
        this.buckets = new AtomicLongArray(seconds * 3);
        for (int i = 0; i < seconds; i++) {
            buckets.set(i * 3 + EPOCH, EMPTY);
        }
    }

    RetryBudgetConfig config() {
        return config;
    }

    void recordRequest(long nowNanos) {
        buckets.incrementAndGet(bucket(nowNanos) + REQUESTS);
    }

    /** Takes a retry from the budget; false when it is spent. */
    boolean tryRetry(long nowNanos) {
        int base = bucket(nowNanos);
        buckets.incrementAndGet(base + RETRIES);
        long second = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
        long requests = 0;
        long retries = 0;
        for (int i = 0; i < seconds; i++) {
            long epoch = buckets.get(i * 3 + EPOCH);
            if (epoch > second - seconds && epoch <= second) {
                requests += buckets.get(i * 3 + REQUESTS);
                retries += buckets.get(i * 3 + RETRIES);
            }
        }
        if (retries <= config.ratio() * requests + minimum) {
            return true;
        }
        buckets.decrementAndGet(base + RETRIES);
        return false;
    }

    /** The bucket of {@code nowNanos}, reset first if it still holds an older second. */
    private int bucket(long nowNanos) {
        long second = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
        int base = (int) Math.floorMod(second, (long) seconds) * 3;
        for (;;) {
            long epoch = buckets.get(base + EPOCH);
            if (epoch >= second) {
                return base;
            }
            if (epoch == RESETTING) {
                Thread.onSpinWait();
                continue;
            }
            if (buckets.compareAndSet(base + EPOCH, epoch, RESETTING)) {
                buckets.set(base + REQUESTS, 0);
                buckets.set(base + RETRIES, 0);
                buckets.set(base + EPOCH, second);
                return base;
            }
        }
    }
}
