package dev.resilience.deferred;

import java.time.Duration;

/**
 * How one {@code @RetryLater} instance replays its stored calls, validated by {@link RetryLaterProperties}.
 *
 * @param name the instance name
 * @param maxAttempts attempts in all, the original call included; the call is dead after the last
 * @param backoff the wait before the first replay
 * @param multiplier each further wait is the previous one times this
 * @param maxBackoff the cap on one wait
 * @param maxAge the call is dead once a failed attempt ends this long after the original call failed
 * @param priority higher replays first among due calls
 * @param propagateFailure whether the caller gets the failure (the call is stored anyway)
 */
public record RetryLaterPolicy(String name, int maxAttempts, Duration backoff, double multiplier, Duration maxBackoff,
        Duration maxAge, int priority, boolean propagateFailure) {

    /** The wait after {@code attempts} failed attempts. */
    public Duration delayAfter(int attempts) {
        double millis = backoff.toMillis() * Math.pow(multiplier, Math.max(0, attempts - 1));
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
    }
}
