package dev.resilience.degradation;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.circuitbreaker.Criticality;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * How degraded the application is: NONE while no watched breaker is OPEN or FORCED_OPEN, else the highest of
 * MINOR (an open optional breaker), MAJOR (important) and CRITICAL (critical). Recomputed on every transition
 * of a watched breaker, not by polling; {@link #level()} is one volatile read.
 */
public final class DegradationMonitor {

    private final Clock clock;
    private final List<CircuitBreaker> breakers = new CopyOnWriteArrayList<>();
    private final List<Consumer<LevelChange>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock recomputing = new ReentrantLock();
    private volatile Snapshot current = new Snapshot(DegradationLevel.NONE, List.of());

    public DegradationMonitor(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The current level and the open breakers. */
    public record Snapshot(DegradationLevel level, List<String> impaired) {
    }

    /** Follows {@code breaker} from now on. */
    public void watch(CircuitBreaker breaker) {
        breakers.add(breaker);
        breaker.addListener(transition -> recompute());
        recompute();
    }

    /** Calls {@code listener} after every level change, on the thread whose transition caused it. */
    public void addListener(Consumer<LevelChange> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The level as of the last transition. */
    public DegradationLevel level() {
        return current.level;
    }

    /**
     * Reads every breaker's state first, so that breakers whose open wait has passed move to HALF_OPEN (and
     * lower the level) before it is reported; for health, meters and the endpoint.
     */
    public Snapshot snapshot() {
        breakers.forEach(CircuitBreaker::getState);
        return current;
    }

    /** Recomputes the level from the breakers' states; after a runtime change of a criticality, too. */
    public void recompute() {
        LevelChange change = null;
        recomputing.lock();
        try {
            DegradationLevel level = DegradationLevel.NONE;
            List<String> impaired = new ArrayList<>();
            for (CircuitBreaker breaker : breakers) {
                CircuitBreakerState state = breaker.getRecordedState();
                if (state == CircuitBreakerState.OPEN || state == CircuitBreakerState.FORCED_OPEN) {
                    impaired.add(breaker.getName());
                    DegradationLevel implied = implied(breaker.getConfig().criticality());
                    if (implied.compareTo(level) > 0) {
                        level = implied;
                    }
                }
            }
            impaired.sort(null);
            Snapshot previous = current;
            current = new Snapshot(level, List.copyOf(impaired));
            if (previous.level != level) {
                change = new LevelChange(previous.level, level, impaired, clock.instant());
            }
        } finally {
            recomputing.unlock();
        }
        if (change != null) {
            for (Consumer<LevelChange> listener : listeners) {
                listener.accept(change);
            }
        }
    }

    private static DegradationLevel implied(Criticality criticality) {
        return switch (criticality) {
            case OPTIONAL -> DegradationLevel.MINOR;
            case IMPORTANT -> DegradationLevel.MAJOR;
            case CRITICAL -> DegradationLevel.CRITICAL;
        };
    }
}
