package dev.resilience.autoconfigure.properties;

import java.time.Duration;

/** {@code resilience.control.*}: where the operator's runtime changes are kept and shared. */
public class ControlProperties {

    /** The kinds of control store. */
    public enum Store {
        /** In this application only, gone at restart (the default: nothing to install). */
        MEMORY,
        /** In the application's Redis, shared by every application on it and re-applied at startup. */
        REDIS
    }

    /** Where accepted endpoint writes are kept: memory (this application only) or redis (shared, durable). */
    private Store store = Store.MEMORY;

    /** Prefix of the Redis keys and channel of the control store (redis only). */
    private String keyPrefix = "resilience:control";

    /** How often the shared store is read whole, healing missed change messages (redis only). */
    private Duration reconcileInterval = Duration.ofSeconds(5);

    public Store getStore() {
        return store;
    }

    public void setStore(Store store) {
        this.store = store;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public Duration getReconcileInterval() {
        return reconcileInterval;
    }

    public void setReconcileInterval(Duration reconcileInterval) {
        this.reconcileInterval = reconcileInterval;
    }
}
