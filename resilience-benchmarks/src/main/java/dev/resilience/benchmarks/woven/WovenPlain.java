package dev.resilience.benchmarks.woven;

import dev.resilience.benchmarks.Measured;

/** The trivial method of {@code Services.Plain}, woven with {@link NoOpAspect} alone (no Spring, no proxy). */
public class WovenPlain {
    private int value = 42;

    @Measured
    public int call() {
        return value;
    }
}
