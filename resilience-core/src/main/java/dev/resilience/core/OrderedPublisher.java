package dev.resilience.core;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Delivers one source's chain of events (a breaker's transitions, the degradation level's changes) to its
 * listeners in the order of the chain, one at a time, each stamped no earlier than the one before.
 *
 * <p>The source numbers each event 1, 2, 3... when it makes it (under its CAS or its lock), so the numbers are
 * the order of the chain, and hands it in afterwards, outside any lock of its own. Whichever thread holds the
 * publishing right delivers every event whose turn has come, so the thread that caused an event delivers it unless
 * events race, when the thread delivering the one before it delivers it too. Each event is stamped when it is
 * taken out for delivery, by the clock read under this publisher's lock in chain order. Listeners are called
 * without any lock held, so a listener may read the source or cause another event: that one is delivered after
 * the one being delivered, by the same thread.
 *
 * @param <E> the event type
 */
public final class OrderedPublisher<E> {

    private final String source;
    private final Clock clock;
    // The logger's name; the logger is looked up only when a listener fails: a lookup per publisher (per breaker)
    // was a visible part of the start of an application with a hundred breakers.
    private final String owner;
    private final List<Consumer<E>> listeners = new CopyOnWriteArrayList<>();

    // Guards the fields below; held only to hand an event in or take the next one out, never around listeners.
    private final Object lock = new Object();
    // Events handed in before their turn (a later event whose thread was quicker), by number.
    private final Map<Long, Function<Instant, E>> early = new HashMap<>();
    private long nextNumber = 1;
    private boolean publishing;
    private Instant lastAt = Instant.MIN;

    /**
     * @param source names the source in the warning logged when a listener fails, e.g. {@code circuit breaker 'a'}
     * @param clock stamps the events
     * @param owner the class whose logger reports a failing listener
     */
    public OrderedPublisher(String source, Clock clock, Class<?> owner) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = owner.getName();
    }

    public void addListener(Consumer<E> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Hands in event {@code number} of the chain, made by {@code event} from its timestamp, and delivers every event
     * whose turn has come, unless another thread is delivering, which then delivers them. Called once for each
     * number, after the event was made.
     */
    public void publish(long number, Function<Instant, E> event) {
        synchronized (lock) {
            early.put(number, event);
            if (publishing) {
                return;
            }
            publishing = true;
        }
        boolean done = false;
        try {
            for (E next = takeNext(); next != null; next = takeNext()) {
                deliver(next);
            }
            done = true;
        } finally {
            if (!done) { // a listener threw an Error: give up the right so that later events still go out
                synchronized (lock) {
                    publishing = false;
                }
            }
        }
    }

    /** The next event of the chain, stamped now, or {@code null} (giving up the right) when it is not in. */
    private E takeNext() {
        Function<Instant, E> pending;
        Instant at;
        synchronized (lock) {
            pending = early.remove(nextNumber);
            if (pending == null) {
                publishing = false;
                return null;
            }
            nextNumber++;
            // Read inside the lock, in chain order; a clock that steps back does not take the stamps with it.
            Instant now = clock.instant();
            lastAt = now.isBefore(lastAt) ? lastAt : now;
            at = lastAt;
        }
        return pending.apply(at);
    }

    private void deliver(E event) {
        for (Consumer<E> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException ex) {
                System.getLogger(owner).log(System.Logger.Level.WARNING, "Listener of " + source + " failed on "
                        + event, ex);
            }
        }
    }
}
