package dev.resilience.autoconfigure.control;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The default control store: this application's changes, in memory; nothing arrives from elsewhere. */
public final class MemoryControlStore implements ControlStore {

    private final Map<String, ControlChange> changes = new ConcurrentHashMap<>();

    @Override
    public void record(ControlChange change) {
        changes.put(change.key(), change);
    }

    @Override
    public Collection<ControlChange> changes() {
        return List.copyOf(changes.values());
    }

    @Override
    public void subscribe(Consumer<ControlChange> listener) {
        // one application: nobody else writes
    }
}
