package dev.resilience.autoconfigure.properties;

/** {@code resilience.bulkhead.configs} and {@code resilience.bulkhead.instances}. */
public class BulkheadProperties extends KindProperties<BulkheadSpec> {
}
