package dev.resilience.autoconfigure.properties;

import dev.resilience.core.Quote;
import dev.resilience.degradation.DegradationLevel;
import dev.resilience.degradation.FeatureConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Binds {@code resilience.degradation.features.*}: {@code enabled} and {@code disable-at} ({@code minor},
 * {@code major}, {@code critical} or {@code never}).
 */
public final class FeatureBinder {

    private static final String PREFIX = "resilience.degradation.features.";

    private volatile DegradationProperties properties;

    public FeatureBinder(DegradationProperties properties) {
        this.properties = properties;
    }

    /** Resolves from {@code refreshed} from now on; used when the environment changes at runtime. */
    public void useProperties(DegradationProperties refreshed) {
        this.properties = refreshed;
    }

    /** The configured features' names. */
    public Set<String> configuredFeatures() {
        return properties.getFeatures().keySet();
    }

    /** The configuration of feature {@code name}; enabled and never shed when it has no entry. */
    public FeatureConfig forFeature(String name) {
        FeatureSpec spec = properties.getFeatures().get(name);
        return spec == null ? FeatureConfig.defaults() : apply(name, FeatureConfig.defaults(), spec);
    }

    /**
     * {@code current} changed by {@code values} (as read from JSON), bound by Boot's {@code Binder} into
     * {@link FeatureSpec} and validated exactly as {@code application.yml} is.
     */
    public FeatureConfig change(String name, FeatureConfig current, Map<String, Object> values) {
        FeatureSpec spec = ResilienceBinding.bindEntry("resilience.degradation", DegradationProperties.class,
                ResilienceBinding.entry(PREFIX.substring(0, PREFIX.length() - 1), name), values).getFeatures()
                .get(name);
        return spec == null ? current : apply(name, current, spec);
    }

    private static FeatureConfig apply(String name, FeatureConfig current, FeatureSpec spec) {
        boolean enabled = spec.getEnabled() != null ? spec.getEnabled() : current.enabled();
        DegradationLevel disableAt = current.disableAt();
        if (spec.getDisableAt() != null) {
            disableAt = parseLevel(PREFIX + name + ".disable-at", spec.getDisableAt());
        }
        return new FeatureConfig(enabled, disableAt);
    }

    /** The configuration as property values, as the endpoint shows it. */
    public static Map<String, Object> describe(FeatureConfig config) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("enabled", config.enabled());
        description.put("disable-at", config.disableAt() == null ? "never"
                : config.disableAt().name().toLowerCase(Locale.ROOT));
        return description;
    }

    /** Resolves every configured feature, so that a bad value stops startup. */
    public void validateAll() {
        properties.getFeatures().keySet().forEach(this::forFeature);
    }

    private static DegradationLevel parseLevel(String path, Object value) {
        String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "never" -> null;
            case "minor" -> DegradationLevel.MINOR;
            case "major" -> DegradationLevel.MAJOR;
            case "critical" -> DegradationLevel.CRITICAL;
            default -> throw new InvalidConfigurationPropertyValueException(path, Quote.shortened(value),
                    "must be one of [minor, major, critical, never]");
        };
    }

}
