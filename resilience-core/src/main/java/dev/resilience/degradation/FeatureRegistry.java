package dev.resilience.degradation;

import dev.resilience.core.InstanceRegistry;
import java.util.function.Function;

/** The application's {@code @Degradable} features by name. */
public final class FeatureRegistry extends InstanceRegistry<Feature> {

    public FeatureRegistry(Function<String, FeatureConfig> configurations, DegradationMonitor monitor) {
        super(name -> new Feature(name, configurations.apply(name), monitor));
    }
}
