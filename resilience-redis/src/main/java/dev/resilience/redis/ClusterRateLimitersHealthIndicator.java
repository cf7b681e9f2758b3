package dev.resilience.redis;

import dev.resilience.autoconfigure.health.ResilienceStatus;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The cluster rate limiters: UP while each reaches its shared store (or there is none), {@code DEGRADED} while one
 * cannot (its calls then get the local share or are rejected, as {@code on-backend-failure} says). Never DOWN: an
 * unreachable Redis must not take the application out of service. Details per limiter: {@code backendAvailable},
 * {@code onBackendFailure}, {@code localShare}.
 */
public final class ClusterRateLimitersHealthIndicator implements HealthIndicator {

    private final RateLimiterRegistry limiters;

    public ClusterRateLimitersHealthIndicator(RateLimiterRegistry limiters) {
        this.limiters = limiters;
    }

    @Override
    public Health health() {
        Status status = Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        for (RateLimiter limiter : limiters.all()) {
            RateLimiterConfig config = limiter.getConfig();
            if (config.scope() != RateLimiterConfig.Scope.CLUSTER) {
                continue;
            }
            boolean available = limiter.isBackendAvailable();
            if (!available) {
                status = ResilienceStatus.DEGRADED;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("backendAvailable", available);
            detail.put("onBackendFailure", config.onBackendFailure().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            detail.put("localShare", config.localShare());
            details.put(limiter.getName(), detail);
        }
        return Health.status(status).withDetails(details).build();
    }
}
