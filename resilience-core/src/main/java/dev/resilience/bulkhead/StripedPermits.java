package dev.resilience.bulkhead;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bulkhead's free slots, spread over a few cells on separate cache lines. A thread takes from and returns to
 * its home cell, so threads on different cores rarely touch the same memory; when its home cell is empty it
 * looks in the others before it gives up.
 *
 * <p>Invariant: the cells' sum, minus {@code debt}, plus the slots taken equals the limit. The cells are never
 * negative: lowering the limit takes free slots out of the cells, and what it cannot take (slots held by calls
 * inside) becomes debt, which returned slots pay off before they go back into a cell.
 *
 * <p>Looking through the cells is not one atomic read, so a call may find every cell empty while another call
 * returns a slot to a cell it has already looked in; it looks twice before it gives up, and a call that waits
 * is handed slots under the bulkhead's lock in any case.
 */
final class StripedPermits {

    /** Longs between cells: 128 bytes, two cache lines, so adjacent-line prefetching does not couple them. */
    private static final int STRIDE = 16;
    private static final int MAX_CELLS = 16;

    private final int mask;
    private final int debt;
    private final AtomicLongArray slots;

    StripedPermits(int limit) {
        this(limit, cellsFor(limit, Runtime.getRuntime().availableProcessors()));
    }

    StripedPermits(int limit, int cells) {
        if (Integer.bitCount(cells) != 1) {
            throw new IllegalArgumentException("cells must be a power of two: " + cells);
        }
        this.mask = cells - 1;
        this.debt = (cells + 1) * STRIDE;
        this.slots = new AtomicLongArray((cells + 2) * STRIDE);
        spread(limit);
    }

    /** One cell per core up to 16, while every cell can start with at least two slots. */
    static int cellsFor(int limit, int cores) {
        int cells = Math.min(MAX_CELLS, Integer.highestOneBit(Math.max(1, cores)));
        while (cells > 1 && limit < 2 * cells) {
            cells >>= 1;
        }
        return cells;
    }

    private static int cell(int index) {
        return (index + 1) * STRIDE;
    }

    private int home() {
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; the id is the same
        long id = Thread.currentThread().getId();
        return (int) id & mask;
    }

    /** Takes a slot if one is free. */
    boolean take() {
        int home = home();
        int passes = mask == 0 ? 1 : 2;
        for (int pass = 0; pass < passes; pass++) {
            for (int k = 0; k <= mask; k++) {
                int cell = cell((home + k) & mask);
                for (long free = slots.get(cell); free > 0; free = slots.get(cell)) {
                    if (slots.compareAndSet(cell, free, free - 1)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Returns a slot: pays debt first, else into the home cell. */
    void give() {
        if (slots.get(debt) > 0 && payDebt(1) == 1) {
            return;
        }
        slots.getAndIncrement(cell(home()));
    }

    /** Changes the limit by {@code delta}; callers serialise their adjustments. */
    void adjust(int delta) {
        if (delta > 0) {
            spread(delta - payDebt(delta));
            return;
        }
        long remaining = -(long) delta;
        for (int index = 0; index <= mask && remaining > 0; index++) {
            int cell = cell(index);
            for (long free = slots.get(cell); free > 0 && remaining > 0; free = slots.get(cell)) {
                long taken = Math.min(free, remaining);
                if (slots.compareAndSet(cell, free, free - taken)) {
                    remaining -= taken;
                }
            }
        }
        if (remaining > 0) {
            slots.getAndAdd(debt, remaining);
        }
    }

    /** Free slots now (a moment's sum; never negative). */
    int available() {
        long sum = -slots.get(debt);
        for (int index = 0; index <= mask; index++) {
            sum += slots.get(cell(index));
        }
        return (int) Math.max(0, sum);
    }

    private void spread(long count) {
        long each = count / (mask + 1);
        long rest = count % (mask + 1);
        for (int index = 0; index <= mask; index++) {
            long share = each + (index < rest ? 1 : 0);
            if (share > 0) {
                slots.getAndAdd(cell(index), share);
            }
        }
    }

    /** Pays up to {@code amount} of the debt; answers what it paid. */
    private long payDebt(long amount) {
        for (;;) {
            long owed = slots.get(debt);
            if (owed <= 0) {
                return 0;
            }
            long paid = Math.min(owed, amount);
            if (slots.compareAndSet(debt, owed, owed - paid)) {
                return paid;
            }
        }
    }
}
