package dev.resilience.degradation;

import dev.resilience.ResilienceException;

/** A call to a {@code @Degradable} feature was skipped because the feature is switched off or shed. */
public final class FeatureDegradedException extends ResilienceException {

    private final String reason;

    public FeatureDegradedException(String feature, String reason) {
        super(feature);
        this.reason = reason;
    }

    @Override
    protected String describe() {
        return "Feature '" + getInstanceName() + "' is degraded: " + reason;
    }
}
