package dev.resilience.autoconfigure.properties;

/** {@code resilience.timeout.configs} and {@code resilience.timeout.instances}. */
public class TimeoutProperties extends KindProperties<TimeoutSpec> {
}
