package dev.resilience.autoconfigure.properties;

/** {@code resilience.retry.configs} and {@code resilience.retry.instances}. */
public class RetryProperties extends KindProperties<RetrySpec> {
}
