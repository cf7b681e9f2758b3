package dev.resilience.autoconfigure.properties;

import dev.resilience.lastknowngood.LastKnownGoodConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/** Binds {@code resilience.last-known-good.*}. */
public final class LastKnownGoodBinder implements ConfigBinder<LastKnownGoodConfig> {

    @Override
    public String kind() {
        return "last-known-good";
    }

    @Override
    public LastKnownGoodConfig defaults() {
        return LastKnownGoodConfig.defaults();
    }

    /**
     * Refuses a runtime change (the endpoint's or a refresh's) of what is fixed when an instance is created: its
     * cache, the cache's size and where it stands among the fallbacks.
     *
     * @throws InvalidConfigurationPropertyValueException naming the first fixed property that {@code changed} alters
     */
    public static void checkRuntimeChange(String instance, LastKnownGoodConfig current, LastKnownGoodConfig changed) {
        String path = "resilience.last-known-good.instances." + instance + ".";
        fixed(path + "cache-name", current.cacheName(), changed.cacheName());
        fixed(path + "maximum-size", current.maximumSize(), changed.maximumSize());
        fixed(path + "before-fallback", current.beforeFallback(), changed.beforeFallback());
    }

    private static void fixed(String property, Object current, Object changed) {
        if (!Objects.equals(current, changed)) {
            throw new InvalidConfigurationPropertyValueException(property, String.valueOf(changed),
                    "is fixed at startup; max-staleness, apply-on and skip-on can change at runtime");
        }
    }

    @Override
    public LastKnownGoodConfig apply(LastKnownGoodConfig base, PropertyValues values) {
        LastKnownGoodConfig[] result = {base};
        values.duration("max-staleness", value -> result[0] = result[0].withMaxStaleness(value));
        values.text("cache-name", value -> result[0] = result[0].withCacheName(value));
        values.integer("maximum-size", value -> result[0] = result[0].withMaximumSize(value));
        values.bool("before-fallback", value -> result[0] = result[0].withBeforeFallback(value));
        values.exceptions("apply-on", value -> result[0] = result[0].withApplyOn(value));
        values.exceptions("skip-on", value -> result[0] = result[0].withSkipOn(value));
        return result[0];
    }

    @Override
    public Map<String, Object> describe(LastKnownGoodConfig config) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("max-staleness", config.maxStaleness().toString());
        description.put("cache-name", config.cacheName());
        description.put("maximum-size", config.maximumSize());
        description.put("before-fallback", config.beforeFallback());
        description.put("apply-on", CircuitBreakerBinder.names(config.applyOn()));
        description.put("skip-on", CircuitBreakerBinder.names(config.skipOn()));
        return description;
    }
}
