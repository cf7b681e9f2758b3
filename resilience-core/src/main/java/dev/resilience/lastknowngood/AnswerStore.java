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

    /**
     * Drops the answer stored for {@code key}.
     *
     * @throws UnsupportedOperationException when this store cannot (the default)
     */
    default void evict(Object key) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot drop stored answers");
    }

    /**
     * Drops every answer of this store.
     *
     * @throws UnsupportedOperationException when this store cannot (the default)
     */
    default void clear() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot drop stored answers");
    }

    /** Opens the store of an instance; called once per instance, when it is created. */
    @FunctionalInterface
    interface Factory {
        AnswerStore open(String instance, LastKnownGoodConfig config);
    }
}
