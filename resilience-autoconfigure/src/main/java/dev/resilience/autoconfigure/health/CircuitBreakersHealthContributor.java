package dev.resilience.autoconfigure.health;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.circuitbreaker.Criticality;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code circuitBreakers} health component: one child per breaker, including breakers created after
 * startup. A breaker is UP unless OPEN or FORCED_OPEN: then DOWN when critical, else DEGRADED.
 */
public final class CircuitBreakersHealthContributor implements CompositeHealthContributor {

    private final CircuitBreakerRegistry breakers;

    public CircuitBreakersHealthContributor(CircuitBreakerRegistry breakers) {
        this.breakers = breakers;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return breakers.find(name).map(CircuitBreakersHealthContributor::indicator).orElse(null);
    }

    @Override
    public Stream<Entry> stream() {
        return breakers.all().stream().sorted(Comparator.comparing(CircuitBreaker::getName))
                .map(breaker -> new Entry(breaker.getName(), indicator(breaker)));
    }

    private static HealthIndicator indicator(CircuitBreaker breaker) {
        return () -> health(breaker);
    }

    static Health health(CircuitBreaker breaker) {
        CircuitBreakerState state = breaker.getState();
        CircuitBreakerMetrics metrics = breaker.getMetrics();
        Criticality criticality = breaker.getConfig().criticality();
        Health.Builder health = Health.status(status(state, criticality)).withDetail("state", state)
                .withDetail("failureRate", metrics.failureRate()).withDetail("slowCallRate", metrics.slowCallRate())
                .withDetail("bufferedCalls", metrics.bufferedCalls()).withDetail("failedCalls", metrics.failedCalls())
                .withDetail("notPermittedCalls", metrics.notPermittedCalls())
                .withDetail("criticality", criticality.name().toLowerCase(Locale.ROOT));
        String heldOpenBy = breaker.getHeldOpenBy();
        return (heldOpenBy != null ? health.withDetail("heldOpenBy", heldOpenBy) : health).build();
    }

    private static Status status(CircuitBreakerState state, Criticality criticality) {
        if (state != CircuitBreakerState.OPEN && state != CircuitBreakerState.FORCED_OPEN) {
            return Status.UP;
        }
        return criticality == Criticality.CRITICAL ? Status.DOWN : ResilienceStatus.DEGRADED;
    }
}
