package dev.resilience.ratelimiter;

import dev.resilience.ResilienceException;

/** A call was rejected because its rate limiter had no permit within {@code timeout-duration}. */
public final class RateLimitExceededException extends ResilienceException {

    private final String reason;

    public RateLimitExceededException(String name, String reason) {
        super(name);
        this.reason = reason;
    }

    @Override
    protected String describe() {
        return "Rate limiter '" + getInstanceName() + "' has no permit: " + reason;
    }
}
