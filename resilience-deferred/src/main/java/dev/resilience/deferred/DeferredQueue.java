package dev.resilience.deferred;

import dev.resilience.core.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The queue's figures by instance (waiting and dead calls, calls that became dead lately, the oldest waiting call),
 * read from the database by one statement and shared for a second: a scrape that reads every gauge, and a health
 * check beside it, cost one query between them, however many instances and gauges there are.
 */
public final class DeferredQueue {

    /** How long one reading serves; far below any scrape or health-check interval, far above one scrape's span. */
    static final Duration FRESH_FOR = Duration.ofSeconds(1);

    private final DeferredTableQueries queries;
    private final Supplier<Collection<String>> instances;
    private final Timing timing;
    private final Supplier<Duration> deadWindow;
    // The latest reading and the ticker value when it was taken; replaced whole, never changed.
    private volatile @Nullable Reading reading;

    /**
     * Figures of one instance.
     *
     * @param waiting calls waiting for their next attempt
     * @param dead calls kept as dead
     * @param recentlyDead dead calls whose last attempt lies within the health window
     * @param oldestStoredAt when the oldest waiting call was first stored, or {@code null} when none waits
     */
    public record InstanceFigures(long waiting, long dead, long recentlyDead, @Nullable Instant oldestStoredAt) {

        /** No calls. */
        public static final InstanceFigures NONE = new InstanceFigures(0, 0, 0, null);
    }

    private record Reading(long takenAt, Map<String, InstanceFigures> figures, @Nullable RuntimeException failure) {
    }

    DeferredQueue(DeferredTableQueries queries, Supplier<Collection<String>> instances, Timing timing,
            Supplier<Duration> deadWindow) {
        this.queries = queries;
        this.instances = instances;
        this.timing = timing;
        this.deadWindow = deadWindow;
    }

    /** The instances with figures: every {@code @RetryLater} instance and every configured one. */
    public Collection<String> instances() {
        return instances.get();
    }

    /**
     * The figures of every instance, at most a second old.
     *
     * @throws IllegalStateException when the database could not be read (the failure is kept for that second too)
     */
    public Map<String, InstanceFigures> figures() {
        Reading current = reading;
        long now = timing.ticker().read();
        if (current == null || now - current.takenAt() >= FRESH_FOR.toNanos()) {
            current = read(now);
        }
        if (current.failure() != null) {
            throw current.failure();
        }
        return current.figures();
    }

    /** The figures of {@code instance}, zero when it has no calls. */
    public InstanceFigures figures(String instance) {
        return figures().getOrDefault(instance, InstanceFigures.NONE);
    }

    /** How long calls that became dead keep the health component DEGRADED. */
    public Duration deadWindow() {
        return deadWindow.get();
    }

    /** The current time of the starter's clock, against which ages are measured. */
    public Instant now() {
        return timing.clock().instant();
    }

    private synchronized Reading read(long now) {
        Reading current = reading;
        if (current != null && now - current.takenAt() < FRESH_FOR.toNanos()) {
            return current; // another thread read it while this one waited
        }
        Reading fresh;
        try {
            fresh = new Reading(now, Map.copyOf(queries.figures(instances.get(),
                    timing.clock().instant().minus(deadWindow.get()))), null);
        } catch (RuntimeException ex) {
            fresh = new Reading(now, Map.of(), ex);
        }
        reading = fresh;
        return fresh;
    }
}
