package dev.resilience.autoconfigure.health;

import dev.resilience.autoconfigure.probe.ResilienceProbes;
import dev.resilience.circuitbreaker.Criticality;
import dev.resilience.probe.Probe;
import dev.resilience.probe.ProbeSnapshot;
import dev.resilience.probe.ProbeStatus;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code dependencies} health component: one child per dependency probe, read from its last results. A
 * health request never runs a check. A probe is UP while UP or UNKNOWN; while DOWN, DOWN when critical, else
 * DEGRADED.
 */
public final class DependenciesHealthContributor implements CompositeHealthContributor {

    private final ResilienceProbes probes;

    public DependenciesHealthContributor(ResilienceProbes probes) {
        this.probes = probes;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return probes.find(name).map(DependenciesHealthContributor::indicator).orElse(null);
    }

    @Override
    public Stream<Entry> stream() {
        return probes.all().stream().sorted(Comparator.comparing(Probe::getName))
                .map(probe -> new Entry(probe.getName(), indicator(probe)));
    }

    private static HealthIndicator indicator(Probe probe) {
        return () -> health(probe.snapshot());
    }

    static Health health(ProbeSnapshot probe) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", probe.status());
        details.put("criticality", probe.criticality().name().toLowerCase(Locale.ROOT));
        details.put("consecutiveFailures", probe.consecutiveFailures());
        details.put("lastLatencyMillis", probe.lastLatency().toMillis());
        details.put("lastSuccess", probe.lastSuccess() == null ? null : probe.lastSuccess().toString());
        details.put("error", probe.error());
        return Health.status(status(probe)).withDetails(details).build();
    }

    private static Status status(ProbeSnapshot probe) {
        if (probe.status() != ProbeStatus.DOWN) {
            return Status.UP;
        }
        return probe.criticality() == Criticality.CRITICAL ? Status.DOWN : ResilienceStatus.DEGRADED;
    }
}
