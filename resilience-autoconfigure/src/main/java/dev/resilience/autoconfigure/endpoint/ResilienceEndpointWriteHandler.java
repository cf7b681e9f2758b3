package dev.resilience.autoconfigure.endpoint;

import dev.resilience.autoconfigure.control.ControlChange;
import dev.resilience.autoconfigure.control.ControlStore;
import dev.resilience.core.Quote;
import dev.resilience.core.Timing;
import dev.resilience.degradation.DegradationOverride;
import dev.resilience.degradation.OperationModes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * What {@code POST <endpoint path>/{kind}/{name}} answers, the same for Spring MVC and WebFlux: reads the JSON
 * body (exactly one of {@code state}, {@code config} or {@code enabled}) and hands it to
 * {@link ResilienceEndpoint#change}. Served by a handler mapping of our own in the management context
 * ({@link ResilienceEndpointManagementContextConfiguration}) rather than as an Actuator write operation, because
 * Actuator reads a write operation's body as string values only, and the contract's {@code config} is a JSON
 * object.
 * <p>
 * With a {@link ControlStore}, every write it accepts (2xx) that sets state (a breaker's state, a feature's switch,
 * a configuration property, chaos, the degradation mode or override) is recorded there, one change per key, and
 * {@link #replay} applies a recorded change through the same validation and apply path, without recording it again.
 */
public final class ResilienceEndpointWriteHandler {

    private final ResilienceEndpoint endpoint;
    private final @Nullable OperationModes modes;
    private final @Nullable DegradationWrites degradation;
    private final @Nullable ControlStore store;
    private final String writer;
    private final Timing timing;

    public ResilienceEndpointWriteHandler(ResilienceEndpoint endpoint) {
        this(endpoint, null);
    }

    /** @param modes the operator's override and modes, or {@code null} to refuse degradation writes */
    public ResilienceEndpointWriteHandler(ResilienceEndpoint endpoint, @Nullable OperationModes modes) {
        this(endpoint, modes, null, "local", Timing.system());
    }

    /**
     * @param modes the operator's override and modes, or {@code null} to refuse degradation writes
     * @param store where accepted writes are recorded, or {@code null} to record none
     * @param writer names this application in the recorded changes
     * @param timing the clock of the recorded changes and their expiry
     */
    public ResilienceEndpointWriteHandler(ResilienceEndpoint endpoint, @Nullable OperationModes modes,
            @Nullable ControlStore store, String writer, Timing timing) {
        this.endpoint = endpoint;
        this.modes = modes;
        this.degradation = modes == null ? null : new DegradationWrites(modes);
        this.store = store;
        this.writer = writer;
        this.timing = timing;
    }

    /**
     * {@code POST <endpoint path>/degradation}: selects an operation mode or sets the operator's override, and
     * answers the degradation JSON.
     *
     * @param body the request's JSON object, or {@code null} when the request has no body
     */
    public ResponseEntity<Object> changeDegradation(@Nullable Map<String, Object> body) {
        ResponseEntity<Object> response = applyDegradation(body);
        if (store != null && response.getStatusCode().is2xxSuccessful() && body != null) {
            Map<String, Object> kept = new LinkedHashMap<>(body);
            kept.remove("expires-after"); // replaced by the absolute expiry, so that it ends at once everywhere
            DegradationOverride now = modes.current();
            store.record(new ControlChange("degradation", "degradation", "", kept, writer, timing.clock().instant(),
                    now == null ? null : now.expiresAt()));
        }
        return response;
    }

    /** @param body the request's JSON object, or {@code null} when the request has no body */
    public ResponseEntity<Object> change(String kind, String name, @Nullable Map<String, Object> body) {
        ResponseEntity<Object> response = apply(kind, name, body);
        if (store != null && response.getStatusCode().is2xxSuccessful() && body != null) {
            Instant at = timing.clock().instant();
            for (ControlChange change : changes(kind, name, body, at)) {
                store.record(change);
            }
        }
        return response;
    }

    /**
     * Applies a change recorded by this or another application, through the same path as a write, without
     * recording it again. A change that has expired is skipped; an expiring one gets what is left of its time.
     *
     * @return the answer a write of the same body would have had
     */
    public ResponseEntity<Object> replay(ControlChange change) {
        if (!change.kind().equals("degradation")) {
            return apply(change.kind(), change.name(), new LinkedHashMap<>(change.body()));
        }
        Map<String, Object> body = new LinkedHashMap<>(change.body());
        if (change.expiresAt() != null) {
            long left = Duration.between(timing.clock().instant(), change.expiresAt()).toMillis();
            if (left <= 0) {
                return ResponseEntity.noContent().build();
            }
            body.put("expires-after", left + "ms");
        }
        return applyDegradation(body);
    }

    /**
     * One change per key that an accepted write of {@code body} set; none for actions (probe runs, purges) and for
     * the sub-resources of other modules.
     */
    private List<ControlChange> changes(String kind, String name, Map<String, Object> body, Instant at) {
        List<ControlChange> changes = new ArrayList<>();
        if (kind.equals("probes") || kind.equals("lastknowngood") || endpoint.resource(kind) != null) {
            return changes;
        }
        Map<String, Object> normalized = kind.equals("chaos") && !body.containsKey("config")
                ? Map.of("config", body) : body;
        for (Map.Entry<String, Object> field : normalized.entrySet()) {
            if (field.getValue() instanceof Map<?, ?> config) {
                for (Map.Entry<?, ?> property : config.entrySet()) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put(String.valueOf(property.getKey()), property.getValue());
                    changes.add(new ControlChange(kind + "/" + name + "/" + field.getKey() + "/" + property.getKey(),
                            kind, name, Map.of(field.getKey(), one), writer, at, null));
                }
            } else if (field.getValue() != null) {
                changes.add(new ControlChange(kind + "/" + name + "/" + field.getKey(), kind, name,
                        Map.of(field.getKey(), field.getValue()), writer, at, null));
            }
        }
        return changes;
    }

    private ResponseEntity<Object> applyDegradation(@Nullable Map<String, Object> body) {
        if (degradation == null) {
            return error(HttpStatus.NOT_FOUND, "the application has no operation modes bean");
        }
        if (body == null) {
            return error(HttpStatus.BAD_REQUEST, "the body must hold exactly one of 'mode' or 'override'");
        }
        String refused = degradation.apply(body);
        return refused != null ? error(HttpStatus.BAD_REQUEST, refused) : ResponseEntity.ok(endpoint.degradation());
    }

    private ResponseEntity<Object> apply(String kind, String name, @Nullable Map<String, Object> body) {
        ResilienceEndpointResource resource = endpoint.resource(kind);
        if (resource != null) {
            WebEndpointResponse<Object> changed = resource.change(name, body);
            return ResponseEntity.status(changed.getStatus()).body(changed.getBody());
        }
        if (body == null) {
            return error(HttpStatus.BAD_REQUEST, "the body must hold exactly one of 'state', 'config' or 'enabled'");
        }
        if (kind.equals("probes")) {
            if (!Boolean.TRUE.equals(body.get("run")) || body.size() != 1) {
                return error(HttpStatus.BAD_REQUEST, "a probe takes exactly {\"run\": true}");
            }
            WebEndpointResponse<Object> ran = endpoint.runProbe(name);
            return ResponseEntity.status(ran.getStatus()).body(ran.getBody());
        }
        if (kind.equals("lastknowngood") && body.containsKey("purge")) {
            if (!Boolean.TRUE.equals(body.get("purge")) || !body.keySet().stream()
                    .allMatch(field -> field.equals("purge") || field.equals("key"))) {
                return error(HttpStatus.BAD_REQUEST, "a purge takes {\"purge\": true}, optionally with \"key\"");
            }
            WebEndpointResponse<Object> purged = endpoint.purgeLastKnownGood(name, body.get("key"));
            return ResponseEntity.status(purged.getStatus()).body(purged.getBody());
        }
        if (kind.equals("chaos") && !body.containsKey("config")) {
            body = Map.of("config", body); // chaos takes its properties at the top of the body
        }
        Object state = body.get("state");
        Object config = body.get("config");
        Object enabled = body.get("enabled");
        if (state != null && !(state instanceof String)) {
            return error(HttpStatus.BAD_REQUEST, "'state' must be a string");
        }
        if (enabled != null && !(enabled instanceof Boolean)) {
            return error(HttpStatus.BAD_REQUEST, "'enabled' must be true or false");
        }
        if (config != null && !(config instanceof Map)) {
            return error(HttpStatus.BAD_REQUEST, "'config' must be an object of property names and values");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) config;
        WebEndpointResponse<Object> response = endpoint.change(kind, name, (String) state, values, (Boolean) enabled);
        return ResponseEntity.status(response.getStatus()).body(response.getBody());
    }

    /** A body that is not a JSON object; {@code cause} is the parser's own failure. */
    public ResponseEntity<Object> unreadable(Throwable cause) {
        // The parser's message quotes the bad text (up to 256 characters of it): cut it like any quoted value.
        return error(HttpStatus.BAD_REQUEST, "the body must be a JSON object: " + Quote.shortened(cause.getMessage()));
    }

    private static ResponseEntity<Object> error(HttpStatus status, String reason) {
        return ResponseEntity.status(status).body(Map.of("status", status.value(), "error", reason));
    }
}
