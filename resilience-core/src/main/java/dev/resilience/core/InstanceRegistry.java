package dev.resilience.core;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Named instances of one kind, created on first request from a factory. Lookups by name happen when a
 * method's pipeline is built, never per call.
 *
 * @param <T> the instance type
 */
public abstract class InstanceRegistry<T> {

    private final Map<String, T> instances = new ConcurrentHashMap<>();
    private final List<Consumer<? super T>> creationListeners = new CopyOnWriteArrayList<>();
    private final Function<String, T> factory;

    protected InstanceRegistry(Function<String, T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** The instance with this name, created from its configuration if it does not exist yet. */
    public T get(String name) {
        T existing = instances.get(name);
        if (existing != null) {
            return existing;
        }
        boolean[] created = new boolean[1];
        T instance = instances.computeIfAbsent(name, key -> {
            created[0] = true;
            return factory.apply(key);
        });
        if (created[0]) {
            creationListeners.forEach(listener -> listener.accept(instance));
        }
        return instance;
    }

    /** The instance with this name if it exists; never creates one. */
    public Optional<T> find(String name) {
        return Optional.ofNullable(instances.get(name));
    }

    /** Every instance created so far. */
    public Collection<T> all() {
        return List.copyOf(instances.values());
    }

    /** Calls {@code listener} for every existing instance and for each one created later. */
    public void onCreate(Consumer<? super T> listener) {
        creationListeners.add(listener);
        instances.values().forEach(listener);
    }
}
