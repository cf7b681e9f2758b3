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
        if (spec == null) {
            return FeatureConfig.defaults();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        if (spec.getEnabled() != null) {
            values.put("enabled", spec.getEnabled());
        }
        if (spec.getDisableAt() != null) {
            values.put("disable-at", spec.getDisableAt());
        }
        return change(name, FeatureConfig.defaults(), values);
    }

    /** {@code current} changed by {@code values}, validated like startup. */
    public FeatureConfig change(String name, FeatureConfig current, Map<String, Object> values) {
        boolean enabled = current.enabled();
        DegradationLevel disableAt = current.disableAt();
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            Object value = entry.getValue();
            String path = PREFIX + name + "." + Quote.shortened(entry.getKey());
            switch (entry.getKey()) {
                case "enabled" -> enabled = parseBoolean(path, value);
                case "disable-at" -> disableAt = parseLevel(path, value);
                default -> throw new InvalidConfigurationPropertyValueException(path, Quote.shortened(value),
                        "is not a property of a feature (enabled, disable-at)");
            }
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

    private static boolean parseBoolean(String path, Object value) {
        String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new InvalidConfigurationPropertyValueException(path, Quote.shortened(value), "must be true or false");
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
