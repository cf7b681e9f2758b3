package dev.resilience.deferred.autoconfigure;

import dev.resilience.deferred.DeferredCallListener;
import dev.resilience.deferred.DeferredCalls;
import dev.resilience.deferred.DeferredQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The {@code resilience.deferred.*} meters, by instance ({@code name}): counters of what becomes of calls, and
 * gauges of the queue that read {@link DeferredQueue}, so that a scrape costs one query however many gauges it reads.
 * Instances known at startup (annotated or configured) have their meters from then on; others (a lazy bean's) from
 * their first call. Bound to each registry it is given (several without a composite): every one gets every meter.
 */
public final class DeferredCallsMeterBinder implements MeterBinder, DeferredCallListener {

    static final String CALLS = "resilience.deferred.calls";
    static final String QUEUE = "resilience.deferred.queue.depth";
    static final String OLDEST = "resilience.deferred.oldest.age";
    static final List<String> KINDS = List.of("stored", "replayed", "succeeded", "dead");

    private static final Counter[][] UNBOUND = {};

    private final DeferredCalls calls;
    private final DeferredQueue queue;
    private final List<MeterRegistry> registries = new ArrayList<>(); // guarded by this
    // Each instance's counters, one array per registry indexed like KINDS; replaced, never changed, under this.
    private final Map<String, Counter[][]> counters = new ConcurrentHashMap<>();

    public DeferredCallsMeterBinder(DeferredCalls calls, DeferredQueue queue) {
        this.calls = calls;
        this.queue = queue;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        registries.add(registry);
        Set<String> instances = new LinkedHashSet<>(queue.instances());
        instances.addAll(counters.keySet());
        for (String instance : instances) {
            Counter[][] bound = counters.getOrDefault(instance, UNBOUND);
            Counter[][] more = Arrays.copyOf(bound, bound.length + 1);
            more[bound.length] = bind(registry, instance);
            counters.put(instance, more);
        }
        if (registries.size() == 1) {
            calls.addListener(this); // once: each event counts once in every registry
        }
    }

    @Override
    public void stored(String instance) {
        increment(instance, 0);
    }

    @Override
    public void replayed(String instance) {
        increment(instance, 1);
    }

    @Override
    public void succeeded(String instance) {
        increment(instance, 2);
    }

    @Override
    public void dead(String instance) {
        increment(instance, 3);
    }

    private void increment(String instance, int kind) {
        Counter[][] bound = counters.get(instance);
        if (bound == null) {
            bound = firstSeen(instance);
        }
        for (Counter[] each : bound) {
            each[kind].increment();
        }
    }

    /** An instance not known when the registries were bound: its meters in every registry from now on. */
    private synchronized Counter[][] firstSeen(String instance) {
        return counters.computeIfAbsent(instance,
                name -> registries.stream().map(registry -> bind(registry, name)).toArray(Counter[][]::new));
    }

    /** Registers {@code instance}'s gauges in {@code registry} and answers its counters there. */
    private Counter[] bind(MeterRegistry registry, String instance) {
        gauge(registry, instance, "waiting", "Stored calls waiting for their next attempt",
                figures -> figures.waiting());
        gauge(registry, instance, "dead", "Stored calls kept as dead until replayed or discarded",
                figures -> figures.dead());
        Gauge.builder(OLDEST, queue, q -> age(q, instance))
                .description("Time since the oldest waiting call was first stored; 0 when none waits")
                .baseUnit("seconds").tag("name", instance).register(registry);
        return KINDS.stream()
                .map(kind -> Counter.builder(CALLS).description("Deferred calls by what became of them: stored, "
                        + "replayed (each attempt), succeeded (replayed and removed), dead")
                        .tag("name", instance).tag("kind", kind).register(registry))
                .toArray(Counter[]::new);
    }

    private void gauge(MeterRegistry meterRegistry, String instance, String state, String description,
            ToDoubleFunction<DeferredQueue.InstanceFigures> value) {
        Gauge.builder(QUEUE, queue, q -> read(q, instance, value)).description(description)
                .tag("name", instance).tag("state", state).register(meterRegistry);
    }

    private static double read(DeferredQueue queue, String instance,
            ToDoubleFunction<DeferredQueue.InstanceFigures> value) {
        try {
            return value.applyAsDouble(queue.figures(instance));
        } catch (IllegalStateException ex) {
            return Double.NaN; // the database could not be read
        }
    }

    private static double age(DeferredQueue queue, String instance) {
        try {
            Instant oldest = queue.figures(instance).oldestStoredAt();
            return oldest == null ? 0 : Math.max(0, Duration.between(oldest, queue.now()).toMillis() / 1000.0);
        } catch (IllegalStateException ex) {
            return Double.NaN; // the database could not be read
        }
    }
}
