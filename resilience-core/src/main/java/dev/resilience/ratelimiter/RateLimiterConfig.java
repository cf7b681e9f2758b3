package dev.resilience.ratelimiter;

import dev.resilience.core.Check;
import dev.resilience.core.InvalidConfigurationException;
import java.time.Duration;

/**
 * The immutable configuration of a rate limiter, validated when constructed.
 *
 * @param limitForPeriod permits per period, 1 to 4194304
 * @param limitRefreshPeriod the period, at least 1 ms
 * @param timeoutDuration how long a call may wait for a permit; zero rejects at once
 */
public record RateLimiterConfig(int limitForPeriod, Duration limitRefreshPeriod, Duration timeoutDuration) {

    /** Permits and reservations share 24 bits of the limiter's state. */
    static final int MAX_LIMIT = 1 << 22;

    private static final RateLimiterConfig DEFAULTS = new RateLimiterConfig(50, Duration.ofSeconds(1), Duration.ZERO);

    public RateLimiterConfig {
        Check.atLeast("limit-for-period", limitForPeriod, 1);
        if (limitForPeriod > MAX_LIMIT) {
            throw new InvalidConfigurationException("limit-for-period", limitForPeriod, "must be at most " + MAX_LIMIT);
        }
        Check.positive("limit-refresh-period", limitRefreshPeriod);
        if (limitRefreshPeriod.compareTo(Duration.ofMillis(1)) < 0) {
            throw new InvalidConfigurationException("limit-refresh-period", limitRefreshPeriod, "must be at least 1ms");
        }
        Check.notNegative("timeout-duration", timeoutDuration);
    }

    /** The documented defaults: 50 permits per second, no waiting. */
    public static RateLimiterConfig defaults() {
        return DEFAULTS;
    }

    public RateLimiterConfig withLimitForPeriod(int value) {
        return new RateLimiterConfig(value, limitRefreshPeriod, timeoutDuration);
    }

    public RateLimiterConfig withLimitRefreshPeriod(Duration value) {
        return new RateLimiterConfig(limitForPeriod, value, timeoutDuration);
    }

    public RateLimiterConfig withTimeoutDuration(Duration value) {
        return new RateLimiterConfig(limitForPeriod, limitRefreshPeriod, value);
    }
}
