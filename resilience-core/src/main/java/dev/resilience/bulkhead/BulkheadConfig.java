package dev.resilience.bulkhead;

import dev.resilience.core.Check;
import java.time.Duration;

/**
 * The immutable configuration of a bulkhead, validated when constructed.
 *
 * @param maxConcurrentCalls calls allowed inside at once; at least 1
 * @param maxWaitDuration how long a call may wait for a free slot; zero rejects at once
 */
public record BulkheadConfig(int maxConcurrentCalls, Duration maxWaitDuration) {

    private static final BulkheadConfig DEFAULTS = new BulkheadConfig(25, Duration.ZERO);

    public BulkheadConfig {
        Check.atLeast("max-concurrent-calls", maxConcurrentCalls, 1);
        Check.notNegative("max-wait-duration", maxWaitDuration);
    }

    /** The documented defaults: 25 calls, no waiting. */
    public static BulkheadConfig defaults() {
        return DEFAULTS;
    }

    public BulkheadConfig withMaxConcurrentCalls(int value) {
        return new BulkheadConfig(value, maxWaitDuration);
    }

    public BulkheadConfig withMaxWaitDuration(Duration value) {
        return new BulkheadConfig(maxConcurrentCalls, value);
    }
}
