package dev.resilience.autoconfigure.endpoint;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.Map;
import org.springframework.http.server.PathContainer;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Routes {@code POST <base-path>/<resilience path>/{kind}/{name}} to {@link ResilienceEndpointWriteHandler}.
 * Ordered before Actuator's own endpoint mapping, which would otherwise answer 405 for a POST to a path it
 * serves GET on.
 */
public final class ResilienceEndpointWriteHandlerMapping extends AbstractHandlerMapping {

    /** Before Actuator's endpoint handler mapping (-100). */
    static final int ORDER = -200;

    private final PathPattern pattern;
    private final HandlerMethod handler;

    /** @param endpointPath the endpoint's path within the application, e.g. {@code /actuator/resilience} */
    public ResilienceEndpointWriteHandlerMapping(String endpointPath, ResilienceEndpointWriteHandler handler) {
        this.pattern = PathPatternParser.defaultInstance.parse(endpointPath + "/{kind}/{name}");
        Method change = ReflectionUtils.findMethod(ResilienceEndpointWriteHandler.class, "change", String.class,
                String.class, Map.class);
        this.handler = new HandlerMethod(handler, change);
        setOrder(ORDER);
    }

    @Override
    protected Object getHandlerInternal(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return null;
        }
        PathPattern.PathMatchInfo match = pattern.matchAndExtract(PathContainer.parsePath(initLookupPath(request)));
        if (match == null) {
            return null;
        }
        request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, match.getUriVariables());
        return handler;
    }
}
