package dev.resilience.autoconfigure;

import dev.resilience.autoconfigure.properties.ModeBinder;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.core.RecentEvents;
import dev.resilience.degradation.DegradationLevel;
import dev.resilience.degradation.Feature;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.degradation.OperationMode;
import dev.resilience.degradation.OperationModes;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Once every singleton exists, on whichever {@link OperationModes} the context has: records and logs each change of
 * the operator's override, checks that every mode's features exist, and selects the startup {@code mode} or
 * {@code override}.
 */
final class OperationModesStartup implements SmartInitializingSingleton {

    private static final ResilienceEventLogger LOGGER = new ResilienceEventLogger();

    private final ObjectProvider<OperationModes> modes;
    private final ObjectProvider<FeatureRegistry> features;
    private final ObjectProvider<RecentEvents> events;
    private final ObjectProvider<ResilienceProperties> properties;

    OperationModesStartup(ObjectProvider<OperationModes> modes, ObjectProvider<FeatureRegistry> features,
            ObjectProvider<RecentEvents> events, ObjectProvider<ResilienceProperties> properties) {
        this.modes = modes;
        this.features = features;
        this.events = events;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        OperationModes operator = modes.getIfAvailable();
        ResilienceProperties configured = properties.getIfAvailable();
        if (operator == null || configured == null) {
            return;
        }
        checkFeatures(operator, configured);
        events.ifAvailable(operator::setEventSink);
        operator.addListener(LOGGER::onOverride);
        String mode = ModeBinder.startupMode(configured.getDegradation());
        DegradationLevel floor = ModeBinder.startupOverride(configured.getDegradation());
        if (mode != null) {
            operator.select(mode, "selected at startup (resilience.degradation.mode)", null);
        } else if (floor != DegradationLevel.NONE) {
            operator.override(floor, "set at startup (resilience.degradation.override)", null);
        }
    }

    /** A mode may switch a feature some bean uses or one configured under {@code resilience.degradation.features}. */
    private void checkFeatures(OperationModes operator, ResilienceProperties configured) {
        Set<String> known = new TreeSet<>(configured.getDegradation().getFeatures().keySet());
        features.ifAvailable(registry -> registry.all().stream().map(Feature::getName).forEach(known::add));
        for (OperationMode mode : operator.modes().values()) {
            for (String feature : mode.features().keySet()) {
                if (!known.contains(feature)) {
                    throw new InvalidConfigurationPropertyValueException(
                            "resilience.degradation.modes." + mode.name() + ".features." + feature, feature,
                            "must name a @Degradable feature or one configured under resilience.degradation.features;"
                                    + " known: " + known);
                }
            }
        }
    }
}
