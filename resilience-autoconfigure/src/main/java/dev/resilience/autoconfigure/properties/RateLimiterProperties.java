package dev.resilience.autoconfigure.properties;

/** {@code resilience.ratelimiter.configs} and {@code resilience.ratelimiter.instances}. */
public class RateLimiterProperties extends KindProperties<RateLimiterSpec> {
}
