package dev.resilience.chaos;

import dev.resilience.core.Durations;
import dev.resilience.core.EventSink;
import dev.resilience.core.Timing;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * Fault injection for the calls of one instance name: a share of them is delayed, a share fails. Faults are
 * injected innermost, so every policy around the call reacts to them as to real ones. Draws come from an
 * injectable source of uniform numbers, so a seeded one makes tests reproducible.
 */
public final class Chaos {

    private final String name;
    private final Timing timing;
    private final DoubleSupplier random;
    private volatile ChaosConfig config;
    private final LongAdder failures = new LongAdder();
    private final LongAdder latencies = new LongAdder();
    private volatile EventSink events = EventSink.NONE;

    /** @param random uniform numbers in [0, 1), shared by the caller's instances if it wants one seeded sequence */
    public Chaos(String name, ChaosConfig config, Timing timing, DoubleSupplier random) {
        this.name = Objects.requireNonNull(name, "name");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.random = Objects.requireNonNull(random, "random");
        this.config = Objects.requireNonNull(config, "config");
    }

    public String getName() {
        return name;
    }

    public ChaosConfig getConfig() {
        return config;
    }

    public void reconfigure(ChaosConfig newConfig) {
        config = Objects.requireNonNull(newConfig, "config");
    }

    public void setEventSink(EventSink sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /** Calls failed by injection since startup. */
    public long getInjectedFailures() {
        return failures.sum();
    }

    /** Calls delayed by injection since startup. */
    public long getInjectedLatencies() {
        return latencies.sum();
    }

    /** How long to delay this call, drawn now: 0 for none. */
    public long drawLatencyNanos() {
        ChaosConfig current = config;
        if (current.latencyRate() > 0 && !current.latency().isZero() && random.getAsDouble() < current.latencyRate()) {
            latencies.increment();
            publish("LATENCY", current.latency());
            return Durations.toNanos(current.latency());
        }
        return 0;
    }

    /** The failure to inject into this call, drawn now, or {@code null} for none. */
    public Throwable drawFailure() {
        ChaosConfig current = config;
        if (current.failureRate() > 0 && random.getAsDouble() < current.failureRate()) {
            failures.increment();
            publish("FAILURE", current.exception().getSimpleName());
            return current.newFailure("Fault injected by chaos '" + name + "'");
        }
        return null;
    }

    /** Delays and fails the calling thread's call as drawn; for synchronous calls. */
    public void inject() throws Throwable {
        long latency = drawLatencyNanos();
        if (latency > 0) {
            timing.sleeper().sleep(latency);
        }
        Throwable failure = drawFailure();
        if (failure != null) {
            throw failure;
        }
    }

    private void publish(String type, Object detail) {
        EventSink sink = events;
        if (sink != EventSink.NONE) {
            sink.publish("chaos", name, type, detail);
        }
    }
}
