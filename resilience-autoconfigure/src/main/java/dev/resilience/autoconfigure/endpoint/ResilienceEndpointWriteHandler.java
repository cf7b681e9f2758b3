package dev.resilience.autoconfigure.endpoint;

import dev.resilience.core.Quote;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * {@code POST /actuator/resilience/{kind}/{name}} (under the configured base path and path mapping). Served here
 * rather than as an Actuator write operation because Actuator reads a write operation's body as string values
 * only, and the contract's {@code config} is a JSON object. Like any Actuator write, it exists only where the
 * endpoint is exposed, answers 405 unless the endpoint's access is unrestricted, and is secured by whatever
 * secures the application's other Actuator paths.
 */
@ResponseBody
public class ResilienceEndpointWriteHandler {

    private static final EndpointId ID = EndpointId.of("resilience");

    private final ResilienceEndpoint endpoint;
    private final EndpointAccessResolver access;

    public ResilienceEndpointWriteHandler(ResilienceEndpoint endpoint, EndpointAccessResolver access) {
        this.endpoint = endpoint;
        this.access = access;
    }

    /** Mapped by {@link ResilienceEndpointWriteHandlerMapping}. */
    public ResponseEntity<Object> change(@PathVariable String kind, @PathVariable String name,
            @RequestBody(required = false) Map<String, Object> body) {
        if (access.accessFor(ID, Access.UNRESTRICTED) != Access.UNRESTRICTED) {
            return error(HttpStatus.METHOD_NOT_ALLOWED, "the resilience endpoint is read-only here");
        }
        if (body == null) {
            return error(HttpStatus.BAD_REQUEST, "the body must hold exactly one of 'state', 'config' or 'enabled'");
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

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException ex) {
        // The parser's message quotes the bad text (up to 256 characters of it): cut it like any quoted value.
        return error(HttpStatus.BAD_REQUEST, "the body must be a JSON object: "
                + Quote.shortened(ex.getMostSpecificCause().getMessage()));
    }

    private static ResponseEntity<Object> error(HttpStatus status, String reason) {
        return ResponseEntity.status(status).body(Map.of("status", status.value(), "error", reason));
    }
}
