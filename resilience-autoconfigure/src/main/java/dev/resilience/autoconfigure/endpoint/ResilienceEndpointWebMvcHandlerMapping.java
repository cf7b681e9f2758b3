package dev.resilience.autoconfigure.endpoint;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.PathContainer;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Spring MVC: routes {@code POST <endpoint path>/{kind}/{name}} to {@link ResilienceEndpointWriteHandler}. Lives in
 * the management context, next to Actuator's own endpoint mapping, and is ordered before it: Actuator's mapping
 * would otherwise answer 405 for a POST to a path it serves GET on. Where Actuator would refuse a write (the
 * endpoint not exposed over HTTP, or its access read-only) it maps nothing, and Actuator answers as for its own
 * endpoints.
 */
public final class ResilienceEndpointWebMvcHandlerMapping extends AbstractHandlerMapping {

    /** Before Actuator's endpoint handler mapping (-100). */
    static final int ORDER = -200;

    private final @Nullable PathPattern pattern;
    private final @Nullable PathPattern degradationPattern;
    private final HandlerMethod handler;
    private final HandlerMethod degradationHandler;

    /**
     * @param endpointPath the endpoint's path within the management context as Actuator maps it, e.g.
     *        {@code /actuator/resilience}; {@code null} to serve no writes
     */
    public ResilienceEndpointWebMvcHandlerMapping(@Nullable String endpointPath, ResilienceEndpointWriteHandler writes) {
        this.pattern = endpointPath == null ? null
                : PathPatternParser.defaultInstance.parse(endpointPath + "/{kind}/{name}");
        this.degradationPattern = endpointPath == null ? null
                : PathPatternParser.defaultInstance.parse(endpointPath + "/degradation");
        Writes bean = new Writes(writes);
        Method change = ReflectionUtils.findMethod(Writes.class, "change", String.class, String.class, Map.class);
        this.handler = new HandlerMethod(bean, change);
        Method changeDegradation = ReflectionUtils.findMethod(Writes.class, "changeDegradation", Map.class);
        this.degradationHandler = new HandlerMethod(bean, changeDegradation);
        setOrder(ORDER);
    }

    @Override
    protected @Nullable Object getHandlerInternal(HttpServletRequest request) {
        if (pattern == null || !"POST".equals(request.getMethod())) {
            return null;
        }
        PathContainer path = PathContainer.parsePath(initLookupPath(request));
        if (degradationPattern != null && degradationPattern.matches(path)) {
            return degradationHandler;
        }
        PathPattern.PathMatchInfo match = pattern.matchAndExtract(path);
        if (match == null) {
            return null;
        }
        request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, match.getUriVariables());
        return handler;
    }

    /** The handler method's bean; Spring MVC reads the body and finds the exception handler on it. */
    static final class Writes {

        private final ResilienceEndpointWriteHandler writes;

        Writes(ResilienceEndpointWriteHandler writes) {
            this.writes = writes;
        }

        ResponseEntity<Object> change(@PathVariable("kind") String kind, @PathVariable("name") String name,
                @RequestBody(required = false) @Nullable Map<String, Object> body) {
            return writes.change(kind, name, body);
        }

        ResponseEntity<Object> changeDegradation(@RequestBody(required = false) @Nullable Map<String, Object> body) {
            return writes.changeDegradation(body);
        }

        @ExceptionHandler(HttpMessageNotReadableException.class)
        ResponseEntity<Object> unreadable(HttpMessageNotReadableException ex) {
            return writes.unreadable(NestedExceptionUtils.getMostSpecificCause(ex));
        }
    }
}
