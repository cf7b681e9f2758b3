package dev.resilience.lastknowngood;

/**
 * Where one last-known-good instance keeps its answers by key: a cache of the application's or the starter's.
 * Implementations may throw when their backend is unreachable; {@link LastKnownGood} then counts a store failure
 * and carries on as if nothing were stored.
 */
public interface AnswerStore {

    /** The answer stored for {@code key}, or {@code null}. */
    StoredAnswer get(Object key);

    /** Stores {@code answer} for {@code key}, replacing any earlier one. */
    void put(Object key, StoredAnswer answer);

    /** Opens the store of an instance; called once per instance, when it is created. */
    @FunctionalInterface
    interface Factory {
        AnswerStore open(String instance, LastKnownGoodConfig config);
    }
}
