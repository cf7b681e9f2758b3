package dev.resilience.autoconfigure.health;

import org.springframework.boot.health.contributor.Status;

/** Health statuses the starter adds. */
public final class ResilienceStatus {

    /**
     * Working with reduced function: answered with HTTP 200 and ordered between OUT_OF_SERVICE and UP, so an
     * application with an open non-critical breaker aggregates to DEGRADED.
     */
    public static final Status DEGRADED = new Status("DEGRADED", "Working with reduced function");

    private ResilienceStatus() {
    }
}
