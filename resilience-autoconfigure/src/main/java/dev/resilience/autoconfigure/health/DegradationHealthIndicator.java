package dev.resilience.autoconfigure.health;

import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.degradation.DegradationOverride;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code degradation} health component: UP at NONE, DEGRADED at MINOR or MAJOR, DOWN at CRITICAL; with an
 * operator's override, also where the level comes from and the override itself.
 */
public final class DegradationHealthIndicator implements HealthIndicator {

    private final DegradationMonitor monitor;

    public DegradationHealthIndicator(DegradationMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Health health() {
        DegradationMonitor.Snapshot snapshot = monitor.snapshot();
        Status status = switch (snapshot.level()) {
            case NONE -> Status.UP;
            case MINOR, MAJOR -> ResilienceStatus.DEGRADED;
            case CRITICAL -> Status.DOWN;
        };
        Health.Builder health = Health.status(status).withDetail("level", snapshot.level())
                .withDetail("impaired", snapshot.impaired());
        DegradationOverride override = snapshot.override();
        if (override != null) {
            // Only with an override: the contract's two details stay the whole of it otherwise.
            health.withDetail("computedLevel", snapshot.computed())
                    .withDetail("setBy", snapshot.setByOperator() ? "operator" : "dependencies")
                    .withDetail("override", override.level());
            if (override.mode() != null) {
                health.withDetail("mode", override.mode());
            }
            if (override.reason() != null) {
                health.withDetail("reason", override.reason());
            }
            if (override.expiresAt() != null) {
                health.withDetail("expiresAt", override.expiresAt().toString());
            }
        }
        return health.build();
    }
}
