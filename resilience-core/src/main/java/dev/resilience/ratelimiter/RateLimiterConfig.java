package dev.resilience.ratelimiter;

import dev.resilience.core.Check;
import dev.resilience.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable configuration of a rate limiter, validated when constructed.
 *
 * @param limitForPeriod permits per period, 1 to 4194304
 * @param limitRefreshPeriod the period, at least 1 ms
 * @param timeoutDuration how long a call may wait for a permit; zero rejects at once
 * @param scope whether the limit is this application's own or shared by every application on one store
 * @param expectedReplicas how many applications share a {@link Scope#CLUSTER cluster} limit, at least 1: while the
 *     store is unreachable each one allows {@link #localShare()}
 * @param onBackendFailure what a cluster limiter does while its store is unreachable
 */
public record RateLimiterConfig(int limitForPeriod, Duration limitRefreshPeriod, Duration timeoutDuration,
        Scope scope, int expectedReplicas, OnBackendFailure onBackendFailure) {

    /** Permits and reservations share 24 bits of the limiter's state. */
    static final int MAX_LIMIT = 1 << 22;

    private static final RateLimiterConfig DEFAULTS = new RateLimiterConfig(50, Duration.ofSeconds(1), Duration.ZERO);

    /** Whose limit it is. */
    public enum Scope {
        /** This application's own limit (the default). */
        LOCAL,
        /** One limit shared by every application on the same store (a {@link RateLimiterBackend}). */
        CLUSTER
    }

    /** What a cluster limiter does while its store is unreachable. */
    public enum OnBackendFailure {
        /** Allows {@code limit-for-period / expected-replicas} per period in this application (the default). */
        LOCAL_SHARE,
        /** Rejects every call until the store is reachable again. */
        REJECT
    }

    public RateLimiterConfig {
        Check.atLeast("limit-for-period", limitForPeriod, 1);
        if (limitForPeriod > MAX_LIMIT) {
            throw new InvalidConfigurationException("limit-for-period", limitForPeriod, "must be at most " + MAX_LIMIT);
        }
        Check.positive("limit-refresh-period", limitRefreshPeriod);
        if (limitRefreshPeriod.compareTo(Duration.ofMillis(1)) < 0) {
            throw new InvalidConfigurationException("limit-refresh-period", limitRefreshPeriod, "must be at least 1ms");
        }
        Check.notNegative("timeout-duration", timeoutDuration);
        Objects.requireNonNull(scope, "scope");
        Check.atLeast("expected-replicas", expectedReplicas, 1);
        Objects.requireNonNull(onBackendFailure, "onBackendFailure");
    }

    /** A local limiter. */
    public RateLimiterConfig(int limitForPeriod, Duration limitRefreshPeriod, Duration timeoutDuration) {
        this(limitForPeriod, limitRefreshPeriod, timeoutDuration, Scope.LOCAL, 1, OnBackendFailure.LOCAL_SHARE);
    }

    /** The documented defaults: 50 permits per second, no waiting, local. */
    public static RateLimiterConfig defaults() {
        return DEFAULTS;
    }

    /** This application's share of the limit while a cluster limiter's store is unreachable: at least 1. */
    public int localShare() {
        return Math.max(1, limitForPeriod / expectedReplicas);
    }

    public RateLimiterConfig withLimitForPeriod(int value) {
        return new RateLimiterConfig(value, limitRefreshPeriod, timeoutDuration, scope, expectedReplicas,
                onBackendFailure);
    }

    public RateLimiterConfig withLimitRefreshPeriod(Duration value) {
        return new RateLimiterConfig(limitForPeriod, value, timeoutDuration, scope, expectedReplicas,
                onBackendFailure);
    }

    public RateLimiterConfig withTimeoutDuration(Duration value) {
        return new RateLimiterConfig(limitForPeriod, limitRefreshPeriod, value, scope, expectedReplicas,
                onBackendFailure);
    }

    public RateLimiterConfig withScope(Scope value) {
        return new RateLimiterConfig(limitForPeriod, limitRefreshPeriod, timeoutDuration, value, expectedReplicas,
                onBackendFailure);
    }

    public RateLimiterConfig withExpectedReplicas(int value) {
        return new RateLimiterConfig(limitForPeriod, limitRefreshPeriod, timeoutDuration, scope, value,
                onBackendFailure);
    }

    public RateLimiterConfig withOnBackendFailure(OnBackendFailure value) {
        return new RateLimiterConfig(limitForPeriod, limitRefreshPeriod, timeoutDuration, scope, expectedReplicas,
                value);
    }
}
