package dev.resilience.retry;

import dev.resilience.core.Check;
import dev.resilience.core.InvalidConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The immutable configuration of a retry, validated when constructed. Property names in error messages
 * are those of {@code resilience.retry.*}.
 *
 * @param maxAttempts total attempts, the first call included; at least 1
 * @param waitDuration wait before the first retry; zero or positive
 * @param backoffMultiplier each further wait is the previous times this; at least 1
 * @param maxWaitDuration cap on one wait; positive
 * @param jitter in [0, 1]: each wait is drawn uniformly from wait × [1 − jitter, 1 + jitter]
 * @param maxDuration no retry starts once this much time has passed since the first attempt; {@code null}
 *        for no limit
 * @param retryExceptions failures that are retried; empty means all (but an open breaker's rejection,
 *        which is retried only when listed here)
 * @param ignoreExceptions failures never retried; wins over {@code retryExceptions}
 * @param retryOnResult marks a returned value as a failure to retry (e.g. an HTTP 503 response); {@code null}
 *        for none. On exhaustion the last value is returned.
 * @param budget caps retries as a share of traffic; {@code null} for no cap
 */
public record RetryConfig(
        int maxAttempts,
        Duration waitDuration,
        double backoffMultiplier,
        Duration maxWaitDuration,
        double jitter,
        Duration maxDuration,
        List<Class<? extends Throwable>> retryExceptions,
        List<Class<? extends Throwable>> ignoreExceptions,
        Predicate<Object> retryOnResult,
        RetryBudgetConfig budget) {

    private static final RetryConfig DEFAULTS = new Builder().build();

    public RetryConfig {
        Check.atLeast("max-attempts", maxAttempts, 1);
        Check.notNegative("wait-duration", waitDuration);
        Check.atLeast("backoff-multiplier", backoffMultiplier, 1.0);
        Check.positive("max-wait-duration", maxWaitDuration);
        Check.between("jitter", jitter, 0.0, 1.0);
        if (maxDuration != null) {
            Check.positive("max-duration", maxDuration);
        }
        retryExceptions = List.copyOf(retryExceptions);
        ignoreExceptions = List.copyOf(ignoreExceptions);
    }

    /** The documented defaults. */
    public static RetryConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link RetryConfig}s; starts from the documented defaults. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration waitDuration = Duration.ofMillis(500);
        private double backoffMultiplier = 1.0;
        private Duration maxWaitDuration = Duration.ofSeconds(30);
        private double jitter;
        private Duration maxDuration;
        private List<Class<? extends Throwable>> retryExceptions = List.of();
        private List<Class<? extends Throwable>> ignoreExceptions = List.of();
        private Predicate<Object> retryOnResult;
        private RetryBudgetConfig budget;

        private Builder() {
        }

        private Builder(RetryConfig config) {
            maxAttempts = config.maxAttempts;
            waitDuration = config.waitDuration;
            backoffMultiplier = config.backoffMultiplier;
            maxWaitDuration = config.maxWaitDuration;
            jitter = config.jitter;
            maxDuration = config.maxDuration;
            retryExceptions = config.retryExceptions;
            ignoreExceptions = config.ignoreExceptions;
            retryOnResult = config.retryOnResult;
            budget = config.budget;
        }

        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        public Builder waitDuration(Duration value) {
            waitDuration = value;
            return this;
        }

        public Builder backoffMultiplier(double value) {
            backoffMultiplier = value;
            return this;
        }

        public Builder maxWaitDuration(Duration value) {
            maxWaitDuration = value;
            return this;
        }

        public Builder jitter(double value) {
            jitter = value;
            return this;
        }

        /** {@code null} for no limit. */
        public Builder maxDuration(Duration value) {
            maxDuration = value;
            return this;
        }

        public Builder retryExceptions(List<Class<? extends Throwable>> value) {
            retryExceptions = value;
            return this;
        }

        public Builder ignoreExceptions(List<Class<? extends Throwable>> value) {
            ignoreExceptions = value;
            return this;
        }

        /** {@code null} for none. */
        public Builder retryOnResult(Predicate<Object> value) {
            retryOnResult = value;
            return this;
        }

        /** {@code null} for no cap. */
        public Builder budget(RetryBudgetConfig value) {
            budget = value;
            return this;
        }

        /** The budget being built, for changing one of its properties; {@code null} when none is set. */
        public RetryBudgetConfig budget() {
            return budget;
        }

        /** @throws InvalidConfigurationException naming the first property outside its range */
        public RetryConfig build() {
            Objects.requireNonNull(waitDuration, "wait-duration");
            return new RetryConfig(maxAttempts, waitDuration, backoffMultiplier, maxWaitDuration, jitter, maxDuration,
                    retryExceptions, ignoreExceptions, retryOnResult, budget);
        }
    }
}
