package dev.resilience.autoconfigure.endpoint;

import dev.resilience.core.Quote;
import dev.resilience.degradation.OperationModes;
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
 */
public final class ResilienceEndpointWriteHandler {

    private final ResilienceEndpoint endpoint;
    private final @Nullable DegradationWrites degradation;

    public ResilienceEndpointWriteHandler(ResilienceEndpoint endpoint) {
        this(endpoint, null);
    }

    /** @param modes the operator's override and modes, or {@code null} to refuse degradation writes */
    public ResilienceEndpointWriteHandler(ResilienceEndpoint endpoint, @Nullable OperationModes modes) {
        this.endpoint = endpoint;
        this.degradation = modes == null ? null : new DegradationWrites(modes);
    }

    /**
     * {@code POST <endpoint path>/degradation}: selects an operation mode or sets the operator's override, and
     * answers the degradation JSON.
     *
     * @param body the request's JSON object, or {@code null} when the request has no body
     */
    public ResponseEntity<Object> changeDegradation(@Nullable Map<String, Object> body) {
        if (degradation == null) {
            return error(HttpStatus.NOT_FOUND, "the application has no operation modes bean");
        }
        if (body == null) {
            return error(HttpStatus.BAD_REQUEST, "the body must hold exactly one of 'mode' or 'override'");
        }
        String refused = degradation.apply(body);
        return refused != null ? error(HttpStatus.BAD_REQUEST, refused) : ResponseEntity.ok(endpoint.degradation());
    }

    /** @param body the request's JSON object, or {@code null} when the request has no body */
    public ResponseEntity<Object> change(String kind, String name, @Nullable Map<String, Object> body) {
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
