package dev.resilience.core;

/** Blocks the calling thread for a duration; synchronous retries wait through it. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps for {@code nanos} nanoseconds, or returns at once when it is zero or less. */
    void sleep(long nanos) throws InterruptedException;

    /** The sleeper backed by {@link Thread#sleep(long, int)}. */
    static Sleeper system() {
        return nanos -> {
            if (nanos > 0) {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        };
    }
}
