package dev.resilience.circuitbreaker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/** The last N outcomes in a ring. */
final class CountWindow implements Window {

    private static final int FILLED = 4;

    private final int size;
    // Invariant: each total equals the number of ring slots carrying that bit, because every slot
    // change is a getAndSet whose exact difference is applied to the totals.
    private final AtomicIntegerArray ring;
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicInteger filled = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger slow = new AtomicInteger();

    CountWindow(int size) {
        this.size = size;
        this.ring = new AtomicIntegerArray(size);
    }

    @Override
    public void record(int outcome, long nowNanos) {
        int slot = (int) (cursor.getAndIncrement() % size);
        int previous = ring.getAndSet(slot, FILLED | outcome);
        if ((previous & FILLED) == 0) {
            filled.incrementAndGet();
        }
        int changed = previous ^ outcome;
        if ((changed & FAILED) != 0) {
            failed.addAndGet((outcome & FAILED) != 0 ? 1 : -1);
        }
        if ((changed & SLOW) != 0) {
            slow.addAndGet((outcome & SLOW) != 0 ? 1 : -1);
        }
    }

    @Override
    public int calls(long nowNanos) {
        return filled.get();
    }

    @Override
    public int failed(long nowNanos) {
        return failed.get();
    }

    @Override
    public int slow(long nowNanos) {
        return slow.get();
    }
}
