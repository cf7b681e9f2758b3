package dev.resilience.autoconfigure.control;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One accepted operator write, as a control store keeps it: the latest change of one {@code key} wins. Keys are
 * fine enough that a later write of another key loses nothing: {@code circuitbreakers/<name>/state},
 * {@code features/<name>/enabled}, {@code <kind>/<name>/config/<property>} (one per property), and
 * {@code degradation} (the mode or override).
 *
 * @param key what the change sets
 * @param kind the endpoint's kind ({@code circuitbreakers}, {@code features}, ..., or {@code degradation})
 * @param name the instance's name ({@code ""} for the degradation write)
 * @param body the endpoint write's JSON body that sets just this key, replayed as it was
 * @param writer the application that accepted the write
 * @param at when it was accepted
 * @param expiresAt when it stops applying, or {@code null} for never
 */
public record ControlChange(String key, String kind, String name, Map<String, Object> body, String writer,
        Instant at, @Nullable Instant expiresAt) {

    public ControlChange {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(at, "at");
    }

    /** Whether the change no longer applies at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
