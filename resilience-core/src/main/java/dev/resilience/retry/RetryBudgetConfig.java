package dev.resilience.retry;

import dev.resilience.core.Check;
import dev.resilience.core.InvalidConfigurationException;
import java.time.Duration;

/**
 * A cap on retries as a share of traffic, against retry storms: over the last {@code window}, retries may add at
 * most {@code ratio} × first attempts, plus {@code minRetriesPerSecond} × the window's seconds so that callers
 * with little traffic can still retry.
 *
 * @param ratio retries allowed per first attempt, at least 0 (e.g. 0.2: at most 20 % on top)
 * @param window the sliding window, 1 s to 1 h, in whole seconds
 * @param minRetriesPerSecond retries always allowed per second of the window, at least 0
 */
public record RetryBudgetConfig(double ratio, Duration window, int minRetriesPerSecond) {

    public RetryBudgetConfig {
        Check.atLeast("budget.ratio", ratio, 0.0);
        Check.positive("budget.window", window);
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0
                || window.toMillis() % 1000 != 0) {
            throw new InvalidConfigurationException("budget.window", window, "must be whole seconds from 1s to 1h");
        }
        Check.atLeast("budget.min-retries-per-second", minRetriesPerSecond, 0);
    }

    /** A budget with the given ratio and the defaults: a 10 s window, 10 retries per second always allowed. */
    public static RetryBudgetConfig ofRatio(double ratio) {
        return new RetryBudgetConfig(ratio, Duration.ofSeconds(10), 10);
    }

    public RetryBudgetConfig withRatio(double value) {
        return new RetryBudgetConfig(value, window, minRetriesPerSecond);
    }

    public RetryBudgetConfig withWindow(Duration value) {
        return new RetryBudgetConfig(ratio, value, minRetriesPerSecond);
    }

    public RetryBudgetConfig withMinRetriesPerSecond(int value) {
        return new RetryBudgetConfig(ratio, window, value);
    }
}
