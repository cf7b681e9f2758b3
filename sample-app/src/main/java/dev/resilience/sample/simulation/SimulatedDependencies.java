package dev.resilience.sample.simulation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The current behaviour of each simulated dependency: {@code primary}, {@code secondary}, {@code inventory} and
 * {@code mail}. Those listed in {@code sample.simulation.down} start down (failing every request), since the
 * simulation restarts with the application.
 */
@Component
public class SimulatedDependencies {

    public static final Set<String> NAMES = Set.of("primary", "secondary", "inventory", "mail");

    private final Map<String, DependencySettings> settings = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final Random random = new Random();

    public SimulatedDependencies(@Value("${sample.simulation.down:}") List<String> down) {
        reset();
        for (String name : down) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("sample.simulation.down names '" + name + "'; known: " + NAMES);
            }
            settings.put(name, new DependencySettings(1, Duration.ZERO));
        }
    }

    public DependencySettings get(String name) {
        return settings.get(name);
    }

    public void set(String name, DependencySettings value) {
        settings.put(name, value);
    }

    /** Every dependency back to healthy; the request counts are kept. */
    public void reset() {
        NAMES.forEach(name -> settings.put(name, DependencySettings.HEALTHY));
    }

    /** Counts a request of the application (not a health check) that reached {@code name}. */
    public void countRequest(String name) {
        requests.computeIfAbsent(name, key -> new AtomicLong()).incrementAndGet();
    }

    /** Requests of the application (not health checks) that reached each dependency since the app started. */
    public Map<String, Long> requests() {
        Map<String, Long> counts = new TreeMap<>();
        NAMES.forEach(name -> counts.put(name, requests.getOrDefault(name, new AtomicLong()).get()));
        return counts;
    }

    public Map<String, DependencySettings> all() {
        return new TreeMap<>(settings);
    }

    /** Whether this request fails, drawn with the dependency's failure rate. */
    public boolean failsNow(String name) {
        double rate = settings.get(name).failureRate();
        synchronized (random) {
            return rate >= 1 || (rate > 0 && random.nextDouble() < rate);
        }
    }
}
