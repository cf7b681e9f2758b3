package dev.resilience.bulkhead;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Timing;
import java.util.function.Function;

/** The application's bulkheads by name, each created from its configuration on first request. */
public final class BulkheadRegistry extends InstanceRegistry<Bulkhead> {

    /** @param configurations the effective configuration for a bulkhead name */
    public BulkheadRegistry(Function<String, BulkheadConfig> configurations, Timing timing) {
        super(name -> new Bulkhead(name, configurations.apply(name), timing));
    }
}
