package dev.resilience.autoconfigure.endpoint;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.PathContainer;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/** Spring MVC: serves {@code GET <endpoint path>/dashboard}, in the management context, before Actuator's mapping. */
public final class ResilienceDashboardWebMvcHandlerMapping extends AbstractHandlerMapping {

    private final @Nullable PathPattern pattern;
    private final HandlerMethod handler;

    /** @param dashboard the page, or {@code null} to serve nothing */
    public ResilienceDashboardWebMvcHandlerMapping(@Nullable ResilienceDashboard dashboard) {
        String path = dashboard == null ? null : dashboard.path();
        this.pattern = path == null ? null : PathPatternParser.defaultInstance.parse(path);
        Method page = ReflectionUtils.findMethod(Page.class, "page");
        this.handler = new HandlerMethod(new Page(dashboard), page);
        setOrder(ResilienceEndpointWebMvcHandlerMapping.ORDER);
    }

    @Override
    protected @Nullable Object getHandlerInternal(HttpServletRequest request) {
        if (pattern == null || !"GET".equals(request.getMethod())
                || !pattern.matches(PathContainer.parsePath(initLookupPath(request)))) {
            return null;
        }
        return handler;
    }

    /** The handler method's bean. */
    static final class Page {

        private final @Nullable ResilienceDashboard dashboard;

        Page(@Nullable ResilienceDashboard dashboard) {
            this.dashboard = dashboard;
        }

        ResponseEntity<byte[]> page() {
            return dashboard.page(); // only mapped with a dashboard
        }
    }
}
