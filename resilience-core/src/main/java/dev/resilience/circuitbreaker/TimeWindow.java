package dev.resilience.circuitbreaker;

import dev.resilience.core.SecondBuckets;

/**
 * The outcomes of the last N seconds, in one bucket per second. The totals of the finished seconds are summed
 * once per second and cached, so judging a call reads one bucket and the cache.
 */
final class TimeWindow implements Window {

    private static final int CALLS = 0;
    private static final int FAILURES = 1;
    private static final int SLOWS = 2;
    private static final int SLOW_FAILURES = 3;

    private final int seconds;
    private final SecondBuckets buckets;
    private volatile Past past = new Past(Long.MIN_VALUE, 0, 0, 0, 0);

    TimeWindow(int seconds) {
        this.seconds = seconds;
        this.buckets = new SecondBuckets(seconds, 4);
    }

    @Override
    public boolean record(int outcome, long nowNanos) {
        int bucket = buckets.bucketFor(SecondBuckets.secondOf(nowNanos));
        if (bucket < 0) {
            return false;
        }
        buckets.add(bucket, CALLS, 1);
        if ((outcome & FAILED) != 0) {
            buckets.add(bucket, FAILURES, 1);
        }
        if ((outcome & SLOW) != 0) {
            buckets.add(bucket, SLOWS, 1);
            if ((outcome & FAILED) != 0) {
                buckets.add(bucket, SLOW_FAILURES, 1);
            }
        }
        return true;
    }

    @Override
    public int calls(long nowNanos) {
        return total(nowNanos, CALLS);
    }

    @Override
    public int failed(long nowNanos) {
        return total(nowNanos, FAILURES);
    }

    @Override
    public int slow(long nowNanos) {
        return total(nowNanos, SLOWS);
    }

    @Override
    public int slowFailed(long nowNanos) {
        return total(nowNanos, SLOW_FAILURES);
    }

    private int total(long nowNanos, int counter) {
        long second = SecondBuckets.secondOf(nowNanos);
        return (int) (past(second).get(counter) + buckets.current(second, counter));
    }

    private Past past(long second) {
        Past cached = past;
        if (cached.second == second) {
            return cached;
        }
        long from = second - seconds;
        Past computed = new Past(second, buckets.sum(CALLS, from, second - 1), buckets.sum(FAILURES, from, second - 1),
                buckets.sum(SLOWS, from, second - 1), buckets.sum(SLOW_FAILURES, from, second - 1));
        past = computed;
        return computed;
    }

    /** Totals of the finished seconds of the window that ends at {@code second}. */
    private record Past(long second, long calls, long failed, long slow, long slowFailed) {
        long get(int counter) {
            return switch (counter) {
                case CALLS -> calls;
                case FAILURES -> failed;
                case SLOWS -> slow;
                default -> slowFailed;
            };
        }
    }
}
