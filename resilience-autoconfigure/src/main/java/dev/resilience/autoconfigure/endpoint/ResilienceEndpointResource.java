package dev.resilience.autoconfigure.endpoint;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * A sub-resource that an optional module adds to the {@code resilience} endpoint, at {@code <endpoint path>/<path>}:
 * {@code GET <path>} lists (query parameters {@code page} and {@code size}), {@code GET <path>/{id}} shows one item
 * and {@code POST <path>/{id}} with a JSON object changes or acts on it. Reads are the endpoint's own read
 * operations, so they are readable wherever the endpoint is; writes go through the endpoint's write mapping, so they
 * are served, refused and secured exactly like its other writes. Register an implementation as a bean.
 */
public interface ResilienceEndpointResource {

    /** The path segment under the endpoint, e.g. {@code deferred}; not one of the endpoint's own kinds. */
    String path();

    /**
     * {@code GET <path>}.
     *
     * @param page the {@code page} query parameter as given, or {@code null}
     * @param size the {@code size} query parameter as given, or {@code null}
     */
    WebEndpointResponse<Object> list(@Nullable String page, @Nullable String size);

    /** {@code GET <path>/{id}}: 404 when there is no such item. */
    WebEndpointResponse<Object> find(String id);

    /**
     * {@code POST <path>/{id}}: a bad body answers 4xx and changes nothing.
     *
     * @param body the request's JSON object, or {@code null} when the request has no body
     */
    WebEndpointResponse<Object> change(String id, @Nullable Map<String, Object> body);
}
