package dev.resilience.retry;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Timing;
import java.util.function.Function;

/** The application's retries by name, each created from its configuration on first request. */
public final class RetryRegistry extends InstanceRegistry<Retry> {

    /** @param configurations the effective configuration for a retry name */
    public RetryRegistry(Function<String, RetryConfig> configurations, Timing timing) {
        super(name -> new Retry(name, configurations.apply(name), timing));
    }
}
