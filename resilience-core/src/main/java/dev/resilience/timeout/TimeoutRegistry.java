package dev.resilience.timeout;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Timing;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/** The application's timeouts by name, each created from its configuration on first request. */
public final class TimeoutRegistry extends InstanceRegistry<Timeout> {

    /** @param workers runs synchronous guarded calls (shared by every timeout) */
    public TimeoutRegistry(Function<String, TimeoutConfig> configurations, Timing timing, ExecutorService workers) {
        super(name -> new Timeout(name, configurations.apply(name), timing, workers));
    }
}
