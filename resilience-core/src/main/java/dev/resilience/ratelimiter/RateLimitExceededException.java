package dev.resilience.ratelimiter;

import dev.resilience.ResilienceException;

/** A call was rejected because its rate limiter had no permit within {@code timeout-duration}. */
public final class RateLimitExceededException extends ResilienceException {

    public RateLimitExceededException(String name, String reason) {
        super(name, "Rate limiter '" + name + "' has no permit: " + reason);
    }
}
