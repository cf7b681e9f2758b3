package dev.resilience.autoconfigure.control;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * Where the operator's accepted runtime changes are kept, and how changes from other applications arrive. The
 * default ({@link MemoryControlStore}) keeps them in this application only; {@code resilience-redis} shares them
 * through Redis. Last writer wins per {@link ControlChange#key() key}.
 */
public interface ControlStore {

    /** Keeps a change accepted here and passes it on to the other applications (never back to this one). */
    void record(ControlChange change);

    /** The latest change of every key the store knows, to re-apply at startup. */
    Collection<ControlChange> changes();

    /** Calls {@code listener} with each change that arrives from another application. */
    void subscribe(Consumer<ControlChange> listener);

    /** Whether the store is reachable now; changes recorded while it is not are kept and written later. */
    default boolean available() {
        return true;
    }
}
