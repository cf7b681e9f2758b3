package dev.resilience.autoconfigure.health;

import dev.resilience.degradation.DegradationMonitor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/** The {@code degradation} health component: UP at NONE, DEGRADED at MINOR or MAJOR, DOWN at CRITICAL. */
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
        return Health.status(status).withDetail("level", snapshot.level())
                .withDetail("impaired", snapshot.impaired()).build();
    }
}
