package dev.resilience.degradation;

import dev.resilience.ResilienceException;

/** A call to a {@code @Degradable} feature was skipped because the feature is switched off or shed. */
public final class FeatureDegradedException extends ResilienceException {

    public FeatureDegradedException(String feature, String reason) {
        super(feature, "Feature '" + feature + "' is degraded: " + reason);
    }
}
