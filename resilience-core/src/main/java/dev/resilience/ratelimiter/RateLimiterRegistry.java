package dev.resilience.ratelimiter;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Timing;
import java.util.function.Function;

/** The application's rate limiters by name, each created from its configuration on first request. */
public final class RateLimiterRegistry extends InstanceRegistry<RateLimiter> {

    public RateLimiterRegistry(Function<String, RateLimiterConfig> configurations, Timing timing) {
        super(name -> new RateLimiter(name, configurations.apply(name), timing));
    }
}
