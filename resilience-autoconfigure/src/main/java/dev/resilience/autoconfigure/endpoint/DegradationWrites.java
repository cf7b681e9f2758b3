package dev.resilience.autoconfigure.endpoint;

import dev.resilience.autoconfigure.properties.ModeBinder;
import dev.resilience.core.Quote;
import dev.resilience.degradation.DegradationLevel;
import dev.resilience.degradation.DegradationOverride;
import dev.resilience.degradation.OperationModes;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationStyle;

/**
 * {@code POST /actuator/resilience/degradation}: {@code {"mode": "<mode>" | "none"}} or {@code {"override":
 * "minor" | "major" | "critical" | "none"}}, with an optional {@code "reason"} and {@code "expires-after"}
 * ({@code "30m"}). Anything else is refused whole, changing nothing.
 */
final class DegradationWrites {

    private static final Set<String> KEYS = Set.of("mode", "override", "reason", "expires-after");

    private final OperationModes modes;

    DegradationWrites(OperationModes modes) {
        this.modes = modes;
    }

    /** Applies the body; answers {@code null} when done, else why it was refused. */
    String apply(Map<String, Object> body) {
        for (String key : body.keySet()) {
            if (!KEYS.contains(key)) {
                return "unknown key " + Quote.quoted(key) + "; the body takes 'mode' or 'override', with optional "
                        + "'reason' and 'expires-after'";
            }
        }
        Object mode = body.get("mode");
        Object override = body.get("override");
        if ((mode == null) == (override == null)) {
            return "the body must hold exactly one of 'mode' or 'override'";
        }
        Object reason = body.get("reason");
        if (reason != null && !(reason instanceof String)) {
            return "'reason' must be a string";
        }
        if (reason != null && ((String) reason).length() > DegradationOverride.MAX_REASON_LENGTH) {
            return "'reason' is at most " + DegradationOverride.MAX_REASON_LENGTH + " characters";
        }
        Duration expiresAfter;
        try {
            expiresAfter = expiresAfter(body.get("expires-after"));
        } catch (IllegalArgumentException bad) {
            return bad.getMessage();
        }
        if (mode != null) {
            if (!(mode instanceof String name)) {
                return "'mode' must be a string: a mode's name or 'none'";
            }
            if (name.equalsIgnoreCase("none")) {
                return clear(expiresAfter);
            }
            if (modes.find(name).isEmpty()) {
                return "no operation mode named " + Quote.quoted(name) + "; configured: " + modes.modes().keySet();
            }
            modes.select(name, (String) reason, expiresAfter);
            return null;
        }
        if (!(override instanceof String)) {
            return "'override' must be one of [none, minor, major, critical]";
        }
        DegradationLevel level;
        try {
            level = ModeBinder.level("override", override);
        } catch (InvalidConfigurationPropertyValueException bad) {
            return "'override' must be one of [none, minor, major, critical], was " + Quote.quoted(override);
        }
        if (level == DegradationLevel.NONE) {
            return clear(expiresAfter);
        }
        modes.override(level, (String) reason, expiresAfter);
        return null;
    }

    private String clear(Duration expiresAfter) {
        if (expiresAfter != null) {
            return "'expires-after' belongs to a mode or an override, not to clearing one";
        }
        modes.clear();
        return null;
    }

    private static Duration expiresAfter(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("'expires-after' must be a duration such as \"30m\"");
        }
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(text);
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("'expires-after' must be a duration such as \"30m\", was "
                    + Quote.quoted(text));
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("'expires-after' must be positive, was " + Quote.quoted(text));
        }
        return duration;
    }
}
