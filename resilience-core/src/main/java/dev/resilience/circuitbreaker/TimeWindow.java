package dev.resilience.circuitbreaker;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The outcomes of the last N seconds, in one bucket per second. A bucket is reused for a later second by
 * the one recorder that wins the CAS on its epoch; the totals of the finished seconds are summed once per
 * second and cached, so judging a call reads one bucket and the cache.
 */
final class TimeWindow implements Window {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long RESETTING = Long.MIN_VALUE;
    private static final long EMPTY = Long.MIN_VALUE + 1;
    private static final int EPOCH = 0;
    private static final int CALLS = 1;
    private static final int FAILURES = 2;
    private static final int SLOWS = 3;

    private final int seconds;
    // Per bucket: epoch second, calls, failed, slow. A bucket counts only while its epoch is in the window.
    private final AtomicLongArray buckets;
    private volatile Past past = new Past(EMPTY, 0, 0, 0);

    TimeWindow(int seconds) {
        this.seconds = seconds;
        this.buckets = new AtomicLongArray(seconds * 4);
        for (int i = 0; i < seconds; i++) {
            buckets.set(i * 4 + EPOCH, EMPTY);
        }
    }

    @Override
    public void record(int outcome, long nowNanos) {
        long second = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
        int base = (int) Math.floorMod(second, (long) seconds) * 4;
        for (;;) {
            long epoch = buckets.get(base + EPOCH);
            if (epoch == second) {
                break;
            }
            if (epoch > second) {
                return; // a recorder stalled for a whole window: its second is gone
            }
            if (epoch == RESETTING) {
                Thread.onSpinWait();
                continue;
            }
            if (buckets.compareAndSet(base + EPOCH, epoch, RESETTING)) {
                buckets.set(base + CALLS, 0);
                buckets.set(base + FAILURES, 0);
                buckets.set(base + SLOWS, 0);
                buckets.set(base + EPOCH, second);
                break;
            }
        }
        buckets.incrementAndGet(base + CALLS);
        if ((outcome & FAILED) != 0) {
            buckets.incrementAndGet(base + FAILURES);
        }
        if ((outcome & SLOW) != 0) {
            buckets.incrementAndGet(base + SLOWS);
        }
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

    private int total(long nowNanos, int field) {
        long second = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
        int base = (int) Math.floorMod(second, (long) seconds) * 4;
        long current = buckets.get(base + EPOCH) == second ? buckets.get(base + field) : 0;
        return (int) (past(second).get(field) + current);
    }

    private Past past(long second) {
        Past cached = past;
        if (cached.second == second) {
            return cached;
        }
        long calls = 0;
        long failed = 0;
        long slow = 0;
        for (int i = 0; i < seconds; i++) {
            int base = i * 4;
            long epoch = buckets.get(base + EPOCH);
            if (epoch > second - seconds && epoch < second) {
                calls += buckets.get(base + CALLS);
                failed += buckets.get(base + FAILURES);
                slow += buckets.get(base + SLOWS);
            }
        }
        Past computed = new Past(second, calls, failed, slow);
        past = computed;
        return computed;
    }

    /** Totals of the finished seconds of the window that ends at {@code second}. */
    private record Past(long second, long calls, long failed, long slow) {
        long get(int field) {
            return field == CALLS ? calls : field == FAILURES ? failed : slow;
        }
    }
}
