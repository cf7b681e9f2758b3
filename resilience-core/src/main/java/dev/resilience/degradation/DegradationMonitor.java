package dev.resilience.degradation;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.circuitbreaker.Criticality;
import dev.resilience.core.OrderedPublisher;
import dev.resilience.probe.Probe;
import dev.resilience.probe.ProbeSnapshot;
import dev.resilience.probe.ProbeStatus;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * How degraded the application is: NONE while no watched breaker is OPEN or FORCED_OPEN and no watched dependency
 * probe is DOWN, else the highest of MINOR (an open optional breaker or a down optional probe), MAJOR (important)
 * and CRITICAL (critical); an operator's {@link DegradationOverride} is a floor under it. Recomputed on every
 * transition of a watched breaker, every status change of a watched probe and every change of the override, not
 * by polling; {@link #level()} is one volatile read.
 */
public final class DegradationMonitor {

    // Queues, not copy-on-write lists: each watch adds in constant time.
    private final Queue<CircuitBreaker> breakers = new ConcurrentLinkedQueue<>();
    private final Queue<Probe> probes = new ConcurrentLinkedQueue<>();
    private final OrderedPublisher<LevelChange> publisher;
    private final ReentrantLock recomputing = new ReentrantLock();
    private volatile Snapshot current = new Snapshot(DegradationLevel.NONE, List.of(), DegradationLevel.NONE, null);
    // Guarded by recomputing.
    private DegradationOverride override;
    // Numbers the level changes under the lock, in the order they are made; guarded by recomputing.
    private long changes;

    public DegradationMonitor(Clock clock) {
        this.publisher = new OrderedPublisher<>("the degradation level", Objects.requireNonNull(clock, "clock"),
                DegradationMonitor.class);
    }

    /**
     * The current level and where it comes from.
     *
     * @param level the effective level: the higher of {@code computed} and the override's
     * @param impaired the open breakers and down probes, by name
     * @param computed the level the breakers and probes imply
     * @param override the operator's floor, or {@code null}
     */
    public record Snapshot(DegradationLevel level, List<String> impaired, DegradationLevel computed,
            DegradationOverride override) {

        /** Whether the operator's floor, not the dependencies, sets the level. */
        public boolean setByOperator() {
            return override != null && override.level().compareTo(computed) > 0;
        }

        /** Why the level is what it is, for a log line or a health detail. */
        public String cause() {
            String dependencies = impaired.isEmpty() ? "no open breaker or down probe" : "impaired: " + impaired;
            if (override == null) {
                return dependencies;
            }
            return (setByOperator() ? "set by the operator's " : "the operator's ") + override.describe() + "; "
                    + dependencies;
        }
    }

    /**
     * Follows {@code breaker} from now on. A breaker that is not open cannot change the level, so it costs no
     * recomputation: watching n breakers is linear, not quadratic (an application may have a breaker per method).
     */
    public void watch(CircuitBreaker breaker) {
        breakers.add(breaker);
        breaker.addListener(transition -> recompute());
        // Read after the listener is added: a transition before it is seen here, one after it by the listener.
        if (impairs(breaker.getRecordedState())) {
            recompute();
        }
    }

    /** Follows {@code probe} from now on: while DOWN it counts like an open breaker of its criticality. */
    public void watch(Probe probe) {
        probes.add(probe);
        probe.addListener(change -> recompute());
        if (probe.snapshot().status() == ProbeStatus.DOWN) {
            recompute();
        }
    }

    /**
     * Calls {@code listener} after every level change, one change at a time and in the order they happened: each
     * one's {@code from} is the previous one's {@code to}, and its {@code at} is not earlier. A listener runs on the
     * thread whose transition caused the change, except when changes race: then the thread still delivering an
     * earlier one delivers the later ones too, before it returns.
     */
    public void addListener(Consumer<LevelChange> listener) {
        publisher.addListener(listener);
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

    /**
     * Puts the operator's floor under the level ({@code null} removes it). An expiry is not watched here: whoever
     * sets an expiring override removes it ({@link OperationModes} does).
     */
    public void setOverride(DegradationOverride newOverride) {
        recomputing.lock();
        try {
            override = newOverride;
        } finally {
            recomputing.unlock();
        }
        recompute();
    }

    /** The operator's floor, or {@code null}. */
    public DegradationOverride getOverride() {
        return current.override;
    }

    /** Recomputes the level from the breakers' states; after a runtime change of a criticality, too. */
    public void recompute() {
        long number = 0;
        DegradationLevel from = null;
        DegradationLevel to = null;
        Snapshot changed = null;
        recomputing.lock();
        try {
            DegradationLevel level = DegradationLevel.NONE;
            Set<String> impaired = new TreeSet<>();
            for (CircuitBreaker breaker : breakers) {
                CircuitBreakerState state = breaker.getRecordedState();
                if (impairs(state)) {
                    impaired.add(breaker.getName());
                    level = max(level, implied(breaker.getConfig().criticality()));
                }
            }
            for (Probe probe : probes) {
                ProbeSnapshot probed = probe.snapshot();
                if (probed.status() == ProbeStatus.DOWN) {
                    impaired.add(probed.name());
                    level = max(level, implied(probed.criticality()));
                }
            }
            DegradationOverride floor = override;
            DegradationLevel effective = floor == null ? level : max(level, floor.level());
            Snapshot previous = current;
            current = new Snapshot(effective, List.copyOf(impaired), level, floor);
            if (previous.level != effective) {
                number = ++changes;
                from = previous.level;
                to = effective;
                changed = current;
            }
        } finally {
            recomputing.unlock();
        }
        if (number > 0) {
            // Handed in outside the lock, so that no listener runs while holding it; the number keeps the order.
            DegradationLevel changedFrom = from;
            DegradationLevel changedTo = to;
            Snapshot cause = changed;
            publisher.publish(number, at -> new LevelChange(changedFrom, changedTo, cause.impaired(), cause.computed(),
                    cause.override(), at));
        }
    }

    private static boolean impairs(CircuitBreakerState state) {
        return state == CircuitBreakerState.OPEN || state == CircuitBreakerState.FORCED_OPEN;
    }

    private static DegradationLevel max(DegradationLevel a, DegradationLevel b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static DegradationLevel implied(Criticality criticality) {
        return switch (criticality) {
            case OPTIONAL -> DegradationLevel.MINOR;
            case IMPORTANT -> DegradationLevel.MAJOR;
            case CRITICAL -> DegradationLevel.CRITICAL;
        };
    }
}
