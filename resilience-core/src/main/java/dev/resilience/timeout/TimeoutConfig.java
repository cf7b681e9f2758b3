package dev.resilience.timeout;

import dev.resilience.core.Check;
import java.time.Duration;

/**
 * The immutable configuration of a timeout, validated when constructed.
 *
 * @param timeoutDuration how long a call may take; positive
 * @param cancelRunningFuture whether an asynchronous call's future is cancelled at the deadline
 */
public record TimeoutConfig(Duration timeoutDuration, boolean cancelRunningFuture) {

    private static final TimeoutConfig DEFAULTS = new TimeoutConfig(Duration.ofSeconds(1), true);

    public TimeoutConfig {
        Check.positive("timeout-duration", timeoutDuration);
    }

    /** The documented defaults: 1 s, cancelling the running future. */
    public static TimeoutConfig defaults() {
        return DEFAULTS;
    }

    public TimeoutConfig withTimeoutDuration(Duration value) {
        return new TimeoutConfig(value, cancelRunningFuture);
    }

    public TimeoutConfig withCancelRunningFuture(boolean value) {
        return new TimeoutConfig(timeoutDuration, value);
    }
}
