package dev.resilience.deferred;

/**
 * Told what becomes of stored calls, by instance name: the meters of the deferred module listen. Called on the
 * storing or replaying thread; an implementation must be quick and must not throw.
 */
public interface DeferredCallListener {

    /** A failed call was stored (after the caller's transaction committed, when there was one). */
    default void stored(String instance) {
    }

    /** A stored call was replayed, whatever the outcome. */
    default void replayed(String instance) {
    }

    /** A replay succeeded: the call is removed. */
    default void succeeded(String instance) {
    }

    /** A call became dead: {@code max-attempts} or {@code max-age} was reached, or it can no longer be replayed. */
    default void dead(String instance) {
    }
}
