package dev.resilience.autoconfigure.properties;

import dev.resilience.core.Quote;
import dev.resilience.degradation.DegradationLevel;
import dev.resilience.degradation.OperationMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Binds the operator's side of {@code resilience.degradation.*}: the named {@code modes}, and the {@code mode} or
 * {@code override} selected at startup. Levels are {@code none}, {@code minor}, {@code major} or {@code critical}.
 */
public final class ModeBinder {

    private static final String PREFIX = "resilience.degradation.";

    private ModeBinder() {
    }

    /** The configured modes; a bad level or a feature without its {@code enabled} stops startup naming it. */
    public static List<OperationMode> modes(DegradationProperties properties) {
        List<OperationMode> modes = new ArrayList<>();
        properties.getModes().forEach((name, spec) -> {
            String path = PREFIX + "modes." + name;
            if (name.equalsIgnoreCase("none")) {
                throw new InvalidConfigurationPropertyValueException(path, name,
                        "'none' means no mode when selecting one: name the mode otherwise");
            }
            DegradationLevel level = spec.getLevel() == null ? DegradationLevel.NONE
                    : level(path + ".level", spec.getLevel());
            Map<String, Boolean> features = new LinkedHashMap<>();
            spec.getFeatures().forEach((feature, switched) -> {
                if (switched == null || switched.getEnabled() == null) {
                    throw new InvalidConfigurationPropertyValueException(path + ".features." + feature + ".enabled",
                            null, "a mode's feature needs enabled: true or false");
                }
                features.put(feature, switched.getEnabled());
            });
            modes.add(new OperationMode(name, level, features));
        });
        return modes;
    }

    /** The mode selected at startup, or {@code null}; it must be one of the configured modes. */
    public static String startupMode(DegradationProperties properties) {
        String mode = properties.getMode();
        if (mode == null || mode.isBlank() || mode.trim().equalsIgnoreCase("none")) {
            return null;
        }
        if (!properties.getModes().containsKey(mode)) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "mode", Quote.shortened(mode),
                    "must be none or one of the modes under resilience.degradation.modes: "
                            + properties.getModes().keySet());
        }
        if (startupOverride(properties) != DegradationLevel.NONE) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "override", properties.getOverride(),
                    "set either resilience.degradation.mode or resilience.degradation.override, not both "
                            + "(a mode's level is its override)");
        }
        return mode;
    }

    /** The floor set at startup; {@code NONE} when unset. */
    public static DegradationLevel startupOverride(DegradationProperties properties) {
        return properties.getOverride() == null ? DegradationLevel.NONE
                : level(PREFIX + "override", properties.getOverride());
    }

    /** A level as an operator writes it: {@code none}, {@code minor}, {@code major} or {@code critical}. */
    public static DegradationLevel level(String path, Object value) {
        String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "none" -> DegradationLevel.NONE;
            case "minor" -> DegradationLevel.MINOR;
            case "major" -> DegradationLevel.MAJOR;
            case "critical" -> DegradationLevel.CRITICAL;
            default -> throw new InvalidConfigurationPropertyValueException(path, Quote.shortened(value),
                    "must be one of [none, minor, major, critical]");
        };
    }
}
