package dev.resilience.core;

/**
 * A monotonic source of nanoseconds, used for every duration the policies measure.
 * Tests substitute a fake whose time only moves when the test says so.
 */
@FunctionalInterface
public interface Ticker {

    /** The current reading in nanoseconds; only differences between readings are meaningful. */
    long read();

    /** The ticker backed by {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
