package dev.resilience.core;

import java.time.Duration;

/** Duration helpers shared by the policies. */
public final class Durations {

    private Durations() {
    }

    /** The duration in nanoseconds, or {@link Long#MAX_VALUE} when it does not fit (e.g. days of years). */
    public static long toNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
