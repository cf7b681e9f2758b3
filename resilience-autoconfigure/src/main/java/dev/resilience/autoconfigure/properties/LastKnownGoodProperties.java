package dev.resilience.autoconfigure.properties;

/** {@code resilience.last-known-good.configs} and {@code resilience.last-known-good.instances}. */
public class LastKnownGoodProperties extends KindProperties<LastKnownGoodSpec> {
}
