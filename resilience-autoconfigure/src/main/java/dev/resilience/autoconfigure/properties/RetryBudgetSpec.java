package dev.resilience.autoconfigure.properties;

import java.time.Duration;

/** A retry budget: {@code budget.ratio} enables it. */
public class RetryBudgetSpec {

    /** Retries allowed per first attempt over the window, e.g. 0.2 for at most 20 % on top (default: no budget). */
    private Double ratio;

    /** The sliding window, in whole seconds from 1s to 1h (default: 10s). */
    private Duration window;

    /** Retries always allowed per second, so that callers with little traffic can retry (default: 10). */
    private Integer minRetriesPerSecond;

    public Double getRatio() {
        return ratio;
    }

    public void setRatio(Double ratio) {
        this.ratio = ratio;
    }

    public Duration getWindow() {
        return window;
    }

    public void setWindow(Duration window) {
        this.window = window;
    }

    public Integer getMinRetriesPerSecond() {
        return minRetriesPerSecond;
    }

    public void setMinRetriesPerSecond(Integer minRetriesPerSecond) {
        this.minRetriesPerSecond = minRetriesPerSecond;
    }
}
