package dev.resilience.autoconfigure.metrics;

import dev.resilience.autoconfigure.probe.ResilienceProbes;
import dev.resilience.probe.Probe;
import dev.resilience.probe.ProbeStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;

/**
 * The dependency probes' meters: {@code resilience.probe.up}, {@code resilience.probe.checks} (read from the
 * probe's counts when scraped) and {@code resilience.probe.duration} (recorded as each check is decided).
 */
public final class ProbeMeterBinder implements MeterBinder {

    private final ResilienceProbes probes;

    public ProbeMeterBinder(ResilienceProbes probes) {
        this.probes = probes;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        probes.onProbe(probe -> bind(registry, probe));
    }

    private static void bind(MeterRegistry registry, Probe probe) {
        String name = probe.getName();
        Gauge.builder("resilience.probe.up", probe, p -> p.getStatus() == ProbeStatus.UP ? 1 : 0).tag("name", name)
                .description("1 while the dependency probe is UP, else 0").register(registry);
        FunctionCounter.builder("resilience.probe.checks", probe, p -> p.snapshot().successfulChecks())
                .tag("name", name).tag("kind", "up").description("Checks of the dependency probe, by outcome")
                .register(registry);
        FunctionCounter.builder("resilience.probe.checks", probe, p -> p.snapshot().failedChecks())
                .tag("name", name).tag("kind", "down").description("Checks of the dependency probe, by outcome")
                .register(registry);
        Timer duration = Timer.builder("resilience.probe.duration").tag("name", name)
                .description("How long the dependency probe's checks took").register(registry);
        probe.addCheckObserver((succeeded, nanos) -> duration.record(nanos, TimeUnit.NANOSECONDS)); // one per registry
    }
}
