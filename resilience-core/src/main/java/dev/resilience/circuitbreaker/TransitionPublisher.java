package dev.resilience.circuitbreaker;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Delivers one breaker's transitions to its listeners in the order of its transitions, one at a time, each
 * stamped no earlier than the one before.
 *
 * <p>Every transition is numbered when it is made (its CAS), so the numbers are the order of the chain. The
 * thread whose CAS succeeded hands its transition in; whichever thread holds the publishing right delivers
 * every transition whose turn has come, so the thread that caused a transition delivers it unless transitions
 * race, when the thread delivering the one before it delivers it too. Listeners are called without any lock
 * held, so a listener may read the breaker or cause another transition: that one is delivered after the one
 * being delivered, by the same thread.
 */
final class TransitionPublisher {

    private final String name;
    private final Clock clock;
    private final List<Consumer<StateTransition>> listeners = new CopyOnWriteArrayList<>();

    // Guards the fields below; held only to hand a transition in or take the next one out, never around listeners.
    private final Object lock = new Object();
    // Transitions handed in before their turn (a later CAS whose thread was quicker), by number.
    private final Map<Long, Pending> early = new HashMap<>();
    private long nextNumber = 1;
    private boolean publishing;
    private Instant lastAt = Instant.MIN;

    TransitionPublisher(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    void addListener(Consumer<StateTransition> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Hands in transition {@code number} of the chain and delivers every transition whose turn has come, unless
     * another thread is delivering, which then delivers them. Called once for each number, after its CAS.
     */
    void publish(long number, CircuitBreakerState from, CircuitBreakerState to) {
        synchronized (lock) {
            early.put(number, new Pending(from, to));
            if (publishing) {
                return;
            }
            publishing = true;
        }
        boolean done = false;
        try {
            for (StateTransition next = takeNext(); next != null; next = takeNext()) {
                deliver(next);
            }
            done = true;
        } finally {
            if (!done) { // a listener threw an Error: give up the right so that later transitions still go out
                synchronized (lock) {
                    publishing = false;
                }
            }
        }
    }

    /** The next transition of the chain, stamped now, or {@code null} (giving up the right) when it is not in. */
    private StateTransition takeNext() {
        synchronized (lock) {
            Pending pending = early.remove(nextNumber);
            if (pending == null) {
                publishing = false;
                return null;
            }
            nextNumber++;
            // Read inside the lock, in chain order; a clock that steps back does not take the stamps with it.
            Instant now = clock.instant();
            lastAt = now.isBefore(lastAt) ? lastAt : now;
            return new StateTransition(name, pending.from, pending.to, lastAt);
        }
    }

    private void deliver(StateTransition transition) {
        for (Consumer<StateTransition> listener : listeners) {
            try {
                listener.accept(transition);
            } catch (RuntimeException ex) {
                System.getLogger(CircuitBreaker.class.getName()).log(System.Logger.Level.WARNING,
                        "Listener of circuit breaker '" + name + "' failed on " + transition, ex);
            }
        }
    }

    private record Pending(CircuitBreakerState from, CircuitBreakerState to) {
    }
}
