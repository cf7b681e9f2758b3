package dev.resilience.autoconfigure.endpoint;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/** WebFlux: serves {@code GET <endpoint path>/dashboard}, in the management context, before Actuator's mapping. */
public final class ResilienceDashboardWebFluxHandlerMapping extends AbstractHandlerMapping {

    private final @Nullable PathPattern pattern;
    private final HandlerMethod handler;

    /** @param dashboard the page, or {@code null} to serve nothing */
    public ResilienceDashboardWebFluxHandlerMapping(@Nullable ResilienceDashboard dashboard) {
        String path = dashboard == null ? null : dashboard.path();
        this.pattern = path == null ? null : PathPatternParser.defaultInstance.parse(path);
        Method page = ReflectionUtils.findMethod(Page.class, "page");
        this.handler = new HandlerMethod(new Page(dashboard), page);
        setOrder(ResilienceEndpointWebFluxHandlerMapping.ORDER);
    }

    @Override
    protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
        if (pattern == null || exchange.getRequest().getMethod() != HttpMethod.GET
                || !pattern.matches(exchange.getRequest().getPath().pathWithinApplication())) {
            return Mono.empty();
        }
        return Mono.just(handler);
    }

    /** The handler method's bean. */
    static final class Page {

        private final @Nullable ResilienceDashboard dashboard;

        Page(@Nullable ResilienceDashboard dashboard) {
            this.dashboard = dashboard;
        }

        Mono<ResponseEntity<byte[]>> page() {
            return Mono.just(dashboard.page()); // only mapped with a dashboard
        }
    }
}
