package dev.resilience.sample.health;

import dev.resilience.annotation.HealthProbe;
import dev.resilience.sample.simulation.DependencyClient;
import org.springframework.stereotype.Component;

/**
 * Checks the simulated dependencies in the background, through their own health endpoints, so that a dependency
 * nobody is calling is known to be down before a user needs it. Intervals, thresholds, criticality and the breaker
 * the inventory probe holds open are in {@code application.yml} under {@code resilience.probes}.
 *
 * <p>These are {@link HealthProbe} methods rather than {@code url} probes only because the simulations are served
 * by this app, whose port is known once it has started (tests run it on a random port); a real dependency's
 * health URL goes straight into {@code resilience.probes.<name>.url}.
 */
@Component
public class DependencyProbes {

    private final DependencyClient client;

    public DependencyProbes(DependencyClient client) {
        this.client = client;
    }

    @HealthProbe("inventory-service")
    public void inventory() {
        check("inventory");
    }

    @HealthProbe("primary-provider")
    public void primaryProvider() {
        check("primary");
    }

    @HealthProbe("secondary-provider")
    public void secondaryProvider() {
        check("secondary");
    }

    /** A 2xx answer is a success; anything else throws, and the probe counts a failure with the message. */
    private void check(String dependency) {
        client.http().get().uri("/sim/health/{name}", dependency).retrieve().toBodilessEntity();
    }
}
