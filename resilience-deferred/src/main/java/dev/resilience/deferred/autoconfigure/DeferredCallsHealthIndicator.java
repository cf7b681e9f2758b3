package dev.resilience.deferred.autoconfigure;

import dev.resilience.autoconfigure.health.ResilienceStatus;
import dev.resilience.deferred.DeferredQueue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health component {@code deferredCalls}: DEGRADED while a call became dead within {@code health-window} (the dead
 * count grew lately), UP otherwise; UNKNOWN when the table cannot be read (the database's own health tells why).
 * Details per instance: waiting and dead calls, those that became dead within the window, the oldest waiting call's
 * age. Reads the figures the meters share, so a health check beside a scrape costs no further query.
 */
public final class DeferredCallsHealthIndicator implements HealthIndicator {

    private final DeferredQueue queue;

    public DeferredCallsHealthIndicator(DeferredQueue queue) {
        this.queue = queue;
    }

    @Override
    public Health health() {
        Map<String, DeferredQueue.InstanceFigures> figures;
        try {
            figures = queue.figures();
        } catch (IllegalStateException ex) {
            return Health.unknown().withDetail("error", ex.getMessage()).build();
        }
        boolean grew = false;
        Map<String, Object> instances = new LinkedHashMap<>();
        for (String instance : queue.instances()) {
            DeferredQueue.InstanceFigures one = figures.getOrDefault(instance, DeferredQueue.InstanceFigures.NONE);
            grew |= one.recentlyDead() > 0;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("waiting", one.waiting());
            details.put("dead", one.dead());
            details.put("deadWithinWindow", one.recentlyDead());
            details.put("oldestWaitingAge", one.oldestStoredAt() == null ? null
                    : Duration.between(one.oldestStoredAt(), queue.now()).withNanos(0).toString());
            instances.put(instance, details);
        }
        return Health.status(grew ? ResilienceStatus.DEGRADED : Status.UP)
                .withDetail("window", queue.deadWindow().toString()).withDetail("instances", instances).build();
    }
}
