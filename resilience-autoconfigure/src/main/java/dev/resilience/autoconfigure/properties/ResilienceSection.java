package dev.resilience.autoconfigure.properties;

/**
 * A section of {@code resilience.*} that an optional module (e.g. {@code resilience-deferred}) binds itself with
 * {@link ResilienceBinding#bindSection}: listed in the module's
 * {@code META-INF/services/dev.resilience.autoconfigure.properties.ResilienceSection}, its keys are not taken for
 * unknown ones by the binding of the rest. Without the module on the class path they are unknown, as they should be.
 */
public interface ResilienceSection {

    /** The section's path below {@code resilience}, e.g. {@code retry-later} or {@code ratelimiter.cluster}. */
    String name();
}
