package dev.resilience.lastknowngood;

import dev.resilience.core.Check;
import dev.resilience.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The immutable configuration of a last-known-good store, validated when constructed.
 *
 * @param maxStaleness a stored answer this old or older is not served; positive
 * @param cacheName the cache the answers live in; {@code null} for the instance's name
 * @param maximumSize entries of the starter's own in-memory cache (an application's cache manager sizes its own);
 *        at least 1
 * @param beforeFallback whether the stored answer is tried before the {@code @Fallback} methods instead of after
 * @param applyOn failures that may be answered from the store (subclasses included)
 * @param skipOn failures that are never answered from the store; wins over {@code applyOn}
 */
public record LastKnownGoodConfig(Duration maxStaleness, String cacheName, int maximumSize, boolean beforeFallback,
        List<Class<? extends Throwable>> applyOn, List<Class<? extends Throwable>> skipOn) {

    private static final LastKnownGoodConfig DEFAULTS = new LastKnownGoodConfig(Duration.ofHours(1), null, 10_000,
            false, List.of(Exception.class), List.of());

    public LastKnownGoodConfig {
        Check.positive("max-staleness", maxStaleness);
        if (cacheName != null && cacheName.isBlank()) {
            throw new InvalidConfigurationException("cache-name", cacheName, "must not be blank");
        }
        Check.atLeast("maximum-size", maximumSize, 1);
        applyOn = List.copyOf(Objects.requireNonNull(applyOn, "apply-on"));
        skipOn = List.copyOf(Objects.requireNonNull(skipOn, "skip-on"));
    }

    /** The documented defaults: 1 h, the instance's name, 10000 entries, after the fallbacks, on any Exception. */
    public static LastKnownGoodConfig defaults() {
        return DEFAULTS;
    }

    /** The cache name for the instance {@code instance}. */
    public String cacheNameFor(String instance) {
        return cacheName != null ? cacheName : instance;
    }

    public LastKnownGoodConfig withMaxStaleness(Duration value) {
        return new LastKnownGoodConfig(value, cacheName, maximumSize, beforeFallback, applyOn, skipOn);
    }

    public LastKnownGoodConfig withCacheName(String value) {
        return new LastKnownGoodConfig(maxStaleness, value, maximumSize, beforeFallback, applyOn, skipOn);
    }

    public LastKnownGoodConfig withMaximumSize(int value) {
        return new LastKnownGoodConfig(maxStaleness, cacheName, value, beforeFallback, applyOn, skipOn);
    }

    public LastKnownGoodConfig withBeforeFallback(boolean value) {
        return new LastKnownGoodConfig(maxStaleness, cacheName, maximumSize, value, applyOn, skipOn);
    }

    public LastKnownGoodConfig withApplyOn(List<Class<? extends Throwable>> value) {
        return new LastKnownGoodConfig(maxStaleness, cacheName, maximumSize, beforeFallback, value, skipOn);
    }

    public LastKnownGoodConfig withSkipOn(List<Class<? extends Throwable>> value) {
        return new LastKnownGoodConfig(maxStaleness, cacheName, maximumSize, beforeFallback, applyOn, value);
    }
}
