package dev.resilience.autoconfigure.endpoint;

import java.lang.reflect.Method;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.PathContainer;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * WebFlux: routes {@code POST <endpoint path>/{kind}/{name}} to {@link ResilienceEndpointWriteHandler}. Lives in the
 * management context, next to Actuator's own endpoint mapping, and is ordered before it: Actuator's mapping would
 * otherwise answer 405 for a POST to a path it serves GET on. Where Actuator would refuse a write (the endpoint not
 * exposed over HTTP, or its access read-only) it maps nothing, and Actuator answers as for its own endpoints.
 */
public final class ResilienceEndpointWebFluxHandlerMapping extends AbstractHandlerMapping {

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
    public ResilienceEndpointWebFluxHandlerMapping(@Nullable String endpointPath,
            ResilienceEndpointWriteHandler writes) {
        this.pattern = endpointPath == null ? null
                : PathPatternParser.defaultInstance.parse(endpointPath + "/{kind}/{name}");
        this.degradationPattern = endpointPath == null ? null
                : PathPatternParser.defaultInstance.parse(endpointPath + "/degradation");
        Writes bean = new Writes(writes);
        Method change = ReflectionUtils.findMethod(Writes.class, "change", String.class, String.class, Mono.class);
        this.handler = new HandlerMethod(bean, change);
        Method changeDegradation = ReflectionUtils.findMethod(Writes.class, "changeDegradation", Mono.class);
        this.degradationHandler = new HandlerMethod(bean, changeDegradation);
        setOrder(ORDER);
    }

    @Override
    protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
        if (pattern == null || exchange.getRequest().getMethod() != HttpMethod.POST) {
            return Mono.empty();
        }
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (degradationPattern != null && degradationPattern.matches(path)) {
            return Mono.just(degradationHandler);
        }
        PathPattern.PathMatchInfo match = pattern.matchAndExtract(path);
        if (match == null) {
            return Mono.empty();
        }
        exchange.getAttributes().put(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, match.getUriVariables());
        return Mono.just(handler);
    }

    /** The handler method's bean; WebFlux reads the body. */
    static final class Writes {

        private final ResilienceEndpointWriteHandler writes;

        Writes(ResilienceEndpointWriteHandler writes) {
            this.writes = writes;
        }

        Mono<ResponseEntity<Object>> change(@PathVariable("kind") String kind, @PathVariable("name") String name,
                @RequestBody(required = false) Mono<Map<String, Object>> body) {
            return body.map(json -> writes.change(kind, name, json))
                    .switchIfEmpty(Mono.fromSupplier(() -> writes.change(kind, name, null)))
                    .onErrorResume(ServerWebInputException.class,
                            ex -> Mono.just(writes.unreadable(NestedExceptionUtils.getMostSpecificCause(ex))));
        }

        Mono<ResponseEntity<Object>> changeDegradation(@RequestBody(required = false) Mono<Map<String, Object>> body) {
            return body.map(writes::changeDegradation)
                    .switchIfEmpty(Mono.fromSupplier(() -> writes.changeDegradation(null)))
                    .onErrorResume(ServerWebInputException.class,
                            ex -> Mono.just(writes.unreadable(NestedExceptionUtils.getMostSpecificCause(ex))));
        }
    }
}
