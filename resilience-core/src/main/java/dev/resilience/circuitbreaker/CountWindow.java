package dev.resilience.circuitbreaker;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The last N outcomes in a ring.
 *
 * <p>Built for many threads recording at once. A success that lands in a window already full of successes
 * changes nothing (any slot it would overwrite holds a success too), so it writes nothing: a healthy breaker's
 * calls share no written memory at all. Otherwise a call takes the next slot from a cursor that sits alone on its
 * cache lines, and applies the slot's change to the three totals with one atomic add, the totals being packed
 * into one long.
 */
final class CountWindow implements Window {

    /** The largest window; the packed totals hold counts below 2^20. */
    static final int MAX_SIZE = 1_000_000;

    private static final int FILLED = 4;
    private static final int BOTH = FAILED | SLOW;
    private static final int BITS = 21;
    private static final long MASK = (1L << BITS) - 1;
    private static final long ONE_CALL = 1L;
    private static final long ONE_FAILED = 1L << BITS;
    private static final long ONE_SLOW = 1L << (2 * BITS);

    // The cursor and the totals, each with 15 unused longs around it, so that the cursor (written by every
    // call that is not a repeated success) never shares a cache line with the totals (read by every call).
    private static final int CURSOR = 15;
    private static final int TOTALS = 31;
    // Slow and failed calls, apart from the packed totals (three fields fill the long). It changes only when the
    // totals change too, so it shares their cache line without adding contention.
    private static final int SLOW_FAILED = 32;
    private static final int CELLS = 47;

    private final int size;
    // Invariant: each packed total equals the number of ring slots carrying that bit, once every recording call
    // has returned, because every slot change is a getAndSet whose exact difference is added to the totals.
    // While calls are under way a total may be off by the calls in flight (even -1), never more.
    private final AtomicIntegerArray ring;
    private final AtomicLongArray cells = new AtomicLongArray(CELLS);

    CountWindow(int size) {
        this.size = size;
        this.ring = new AtomicIntegerArray(size);
    }

    @Override
    public boolean record(int outcome, long nowNanos) {
        if (outcome == 0 && cells.get(TOTALS) == size) {
            return false; // full of successes, and stays so
        }
        int slot = (int) (cells.getAndIncrement(CURSOR) % size);
        int previous = ring.getAndSet(slot, FILLED | outcome);
        long delta = (previous & FILLED) == 0 ? ONE_CALL : 0;
        int changed = previous ^ outcome;
        if ((changed & FAILED) != 0) {
            delta += (outcome & FAILED) != 0 ? ONE_FAILED : -ONE_FAILED;
        }
        if ((changed & SLOW) != 0) {
            delta += (outcome & SLOW) != 0 ? ONE_SLOW : -ONE_SLOW;
        }
        if (delta == 0) {
            return false;
        }
        boolean wasSlowFailed = (previous & BOTH) == BOTH;
        boolean isSlowFailed = (outcome & BOTH) == BOTH;
        if (wasSlowFailed != isSlowFailed) {
            cells.getAndAdd(SLOW_FAILED, isSlowFailed ? 1 : -1);
        }
        cells.getAndAdd(TOTALS, delta);
        return true;
    }

    @Override
    public int calls(long nowNanos) {
        return field(cells.get(TOTALS), 0);
    }

    @Override
    public int failed(long nowNanos) {
        return field(cells.get(TOTALS), 1);
    }

    @Override
    public int slow(long nowNanos) {
        return field(cells.get(TOTALS), 2);
    }

    @Override
    public int slowFailed(long nowNanos) {
        return (int) cells.get(SLOW_FAILED);
    }

    /**
     * Field {@code index} of the packed totals. Fields are signed: a transiently negative one borrows from the
     * next, which is given back here.
     */
    static int field(long totals, int index) {
        long rest = totals;
        for (int i = 0; i < index; i++) {
            rest = (rest - signed(rest & MASK)) >> BITS;
        }
        return (int) (index == 2 ? rest : signed(rest & MASK));
    }

    private static long signed(long field) {
        return field >= 1L << (BITS - 1) ? field - (1L << BITS) : field;
    }
}
