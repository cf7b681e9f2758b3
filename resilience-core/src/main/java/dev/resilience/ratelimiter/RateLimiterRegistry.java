package dev.resilience.ratelimiter;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Timing;
import java.util.function.Function;

/** The application's rate limiters by name, each created from its configuration on first request. */
public final class RateLimiterRegistry extends InstanceRegistry<RateLimiter> {

    public RateLimiterRegistry(Function<String, RateLimiterConfig> configurations, Timing timing) {
        this(configurations, timing, null);
    }

    /** @param backend where {@code scope: cluster} limiters take their permits; {@code null} when there is none */
    public RateLimiterRegistry(Function<String, RateLimiterConfig> configurations, Timing timing,
            RateLimiterBackend backend) {
        super(name -> new RateLimiter(name, configurations.apply(name), timing, backend));
    }
}
