package dev.resilience.autoconfigure.properties;

import dev.resilience.core.InvalidConfigurationException;
import java.util.Map;

/**
 * Turns property values of one kind of policy into its immutable core configuration, and back.
 *
 * @param <C> the core configuration type
 */
public interface ConfigBinder<C> {

    /** The kind as it appears in property paths, e.g. {@code circuitbreaker}. */
    String kind();

    /** The documented defaults. */
    C defaults();

    /**
     * A configuration equal to {@code base} but for the given values.
     *
     * @throws InvalidConfigurationException naming the first bad property
     */
    C apply(C base, PropertyValues values);

    /** The configuration as kebab-case property values, as the endpoint shows it. */
    Map<String, Object> describe(C config);
}
