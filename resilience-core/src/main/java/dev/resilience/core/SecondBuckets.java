package dev.resilience.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A ring of one-second buckets, each with a few counters, for counts over a sliding window of seconds. Lock-free:
 * a bucket is reused for a later second by the one writer that wins the CAS on its epoch; a bucket counts only
 * while its epoch lies in the window being read.
 */
public final class SecondBuckets {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long RESETTING = Long.MIN_VALUE;
    private static final long EMPTY = Long.MIN_VALUE + 1;

    private final int seconds;
    private final int stride;
    // Per bucket: the epoch second, then the counters.
    private final AtomicLongArray slots;

    public SecondBuckets(int seconds, int counters) {
        this.seconds = seconds;
        this.stride = counters + 1;
        this.slots = new AtomicLongArray(seconds * stride);
        for (int i = 0; i < seconds; i++) {
            slots.set(i * stride, EMPTY);
        }
    }

    /** The second a ticker reading falls in. */
    public static long secondOf(long nowNanos) {
        return Math.floorDiv(nowNanos, NANOS_PER_SECOND);
    }

    /**
     * The bucket of {@code second}, reset first if it still holds an older second; -1 when it already holds a
     * later one (the writer stalled for a whole window, and its second is gone).
     */
    public int bucketFor(long second) {
        int base = (int) Math.floorMod(second, (long) seconds) * stride;
        for (;;) {
            long epoch = slots.get(base);
            if (epoch == second) {
                return base;
            }
            if (epoch > second) {
                return -1;
            }
            if (epoch == RESETTING) {
                Thread.onSpinWait();
                continue;
            }
            if (slots.compareAndSet(base, epoch, RESETTING)) {
                for (int counter = 1; counter < stride; counter++) {
                    slots.set(base + counter, 0);
                }
                slots.set(base, second);
                return base;
            }
        }
    }

    public void add(int bucket, int counter, long delta) {
        slots.addAndGet(bucket + 1 + counter, delta);
    }

    /** The counter of the bucket of {@code second}, or 0 when that bucket holds another second. */
    public long current(long second, int counter) {
        int base = (int) Math.floorMod(second, (long) seconds) * stride;
        return slots.get(base) == second ? slots.get(base + 1 + counter) : 0;
    }

    /** The counter summed over the buckets of the seconds after {@code from} up to and including {@code to}. */
    public long sum(int counter, long from, long to) {
        long sum = 0;
        for (int i = 0; i < seconds; i++) {
            long epoch = slots.get(i * stride);
            if (epoch > from && epoch <= to) {
                sum += slots.get(i * stride + 1 + counter);
            }
        }
        return sum;
    }
}
