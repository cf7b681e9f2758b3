package dev.resilience.core;

import java.time.Duration;
import java.util.Objects;

/** Validation helpers for configuration records; each failure names the property and the range. */
public final class Check {

    private Check() {
    }

    public static int atLeast(String property, int value, int min) {
        if (value < min) {
            throw new InvalidConfigurationException(property, value, "must be at least " + min);
        }
        return value;
    }

    public static double atLeast(String property, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new InvalidConfigurationException(property, value, "must be a finite number of at least " + min);
        }
        return value;
    }

    /** A percentage in (0, 100]. */
    public static float percent(String property, float value) {
        if (!(value > 0 && value <= 100)) {
            throw new InvalidConfigurationException(property, value, "must be in (0, 100]");
        }
        return value;
    }

    public static double between(String property, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidConfigurationException(property, value, "must be in [" + min + ", " + max + "]");
        }
        return value;
    }

    public static Duration notNegative(String property, Duration value) {
        Objects.requireNonNull(value, property);
        if (value.isNegative()) {
            throw new InvalidConfigurationException(property, value, "must be zero or positive");
        }
        return value;
    }

    public static Duration positive(String property, Duration value) {
        Objects.requireNonNull(value, property);
        if (value.isNegative() || value.isZero()) {
            throw new InvalidConfigurationException(property, value, "must be positive");
        }
        return value;
    }
}
