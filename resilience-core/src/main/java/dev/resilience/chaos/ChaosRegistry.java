package dev.resilience.chaos;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Timing;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/** Fault injection per instance name, created for every name a guarded method uses while chaos is enabled. */
public final class ChaosRegistry extends InstanceRegistry<Chaos> {

    public ChaosRegistry(Function<String, ChaosConfig> configurations, Timing timing, DoubleSupplier random) {
        super(name -> new Chaos(name, configurations.apply(name), timing, random));
    }
}
