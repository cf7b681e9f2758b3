package dev.resilience.degradation;

/**
 * The configuration of a {@code @Degradable} feature.
 *
 * @param enabled whether the feature runs at all
 * @param disableAt the degradation level at and above which it is shed; {@code null} for never
 */
public record FeatureConfig(boolean enabled, DegradationLevel disableAt) {

    private static final FeatureConfig DEFAULTS = new FeatureConfig(true, null);

    /** Enabled, never shed. */
    public static FeatureConfig defaults() {
        return DEFAULTS;
    }

    public FeatureConfig withEnabled(boolean value) {
        return new FeatureConfig(value, disableAt);
    }
}
