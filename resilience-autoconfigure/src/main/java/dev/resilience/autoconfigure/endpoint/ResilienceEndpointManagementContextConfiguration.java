package dev.resilience.autoconfigure.endpoint;

import dev.resilience.autoconfigure.control.ControlStore;
import dev.resilience.core.Timing;
import dev.resilience.degradation.OperationModes;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@code resilience} endpoint's write operations, served where Actuator serves its endpoints: loaded into the
 * management context (the child context on {@code management.server.port} when one is set, the main context
 * otherwise), for Spring MVC and WebFlux alike. The path comes from Actuator's own {@link PathMappedEndpoints}
 * (base path and path mapping), so writes exist only where the endpoint is exposed over HTTP; they are refused
 * like any Actuator write when the endpoint's access is below unrestricted; and whatever secures the other
 * management paths secures them.
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnBean({ResilienceEndpoint.class, PathMappedEndpoints.class})
public final class ResilienceEndpointManagementContextConfiguration {

    private static final EndpointId ID = EndpointId.of("resilience");

    @Bean
    @ConditionalOnMissingBean
    ResilienceEndpointWriteHandler resilienceEndpointWriteHandler(ResilienceEndpoint endpoint,
            ObjectProvider<OperationModes> modes, ObjectProvider<ControlStore> store, ObjectProvider<Timing> timing,
            Environment environment) {
        String writer = environment.getProperty("spring.application.name", "application") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        return new ResilienceEndpointWriteHandler(endpoint, modes.getIfAvailable(), store.getIfAvailable(), writer,
                timing.getIfAvailable(Timing::system));
    }

    /** Stored and other applications' operator changes, applied through the write handler. */
    @Bean
    @ConditionalOnBean(ControlStore.class)
    @ConditionalOnMissingBean
    ControlReplication resilienceControlReplication(ControlStore store, ResilienceEndpointWriteHandler writes,
            ObjectProvider<Timing> timing) {
        return new ControlReplication(store, writes, timing.getIfAvailable(Timing::system));
    }

    /** The live page, where the endpoint is readable over HTTP and {@code resilience.dashboard.enabled} is true. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "resilience.dashboard.enabled", matchIfMissing = true)
    ResilienceDashboard resilienceDashboard(PathMappedEndpoints endpoints, ObjectProvider<EndpointAccessResolver> access,
            Environment environment) {
        return new ResilienceDashboard(readablePath(endpoints, access, environment));
    }

    /** The endpoint's path as Actuator maps it, or {@code null} where it is not readable over HTTP. */
    static @Nullable String readablePath(PathMappedEndpoints endpoints, ObjectProvider<EndpointAccessResolver> access,
            Environment environment) {
        EndpointAccessResolver resolver = access.getIfAvailable(() -> new PropertiesEndpointAccessResolver(environment));
        return resolver.accessFor(ID, Access.UNRESTRICTED) == Access.NONE ? null : endpoints.getPath(ID);
    }

    /**
     * The endpoint's path as Actuator maps it, or {@code null} where Actuator would refuse a write: the endpoint
     * is not exposed over HTTP, or its access ({@code management.endpoint.resilience.access} and the defaults
     * that bound it, or the application's own resolver) is below unrestricted.
     */
    static @Nullable String writablePath(PathMappedEndpoints endpoints, ObjectProvider<EndpointAccessResolver> access,
            Environment environment) {
        EndpointAccessResolver resolver = access.getIfAvailable(() -> new PropertiesEndpointAccessResolver(environment));
        if (resolver.accessFor(ID, Access.UNRESTRICTED) != Access.UNRESTRICTED) {
            return null;
        }
        return endpoints.getPath(ID);
    }

    /** Spring MVC. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    static class WebMvcConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ResilienceEndpointWebMvcHandlerMapping resilienceEndpointWebMvcHandlerMapping(PathMappedEndpoints endpoints,
                ObjectProvider<EndpointAccessResolver> access, Environment environment,
                ResilienceEndpointWriteHandler writes) {
            return new ResilienceEndpointWebMvcHandlerMapping(writablePath(endpoints, access, environment), writes);
        }

        /** Serves nothing without a {@link ResilienceDashboard} ({@code resilience.dashboard.enabled=false}). */
        @Bean
        @ConditionalOnMissingBean
        ResilienceDashboardWebMvcHandlerMapping resilienceDashboardWebMvcHandlerMapping(
                ObjectProvider<ResilienceDashboard> dashboard) {
            return new ResilienceDashboardWebMvcHandlerMapping(dashboard.getIfAvailable());
        }
    }

    /** WebFlux. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
    static class WebFluxConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ResilienceEndpointWebFluxHandlerMapping resilienceEndpointWebFluxHandlerMapping(PathMappedEndpoints endpoints,
                ObjectProvider<EndpointAccessResolver> access, Environment environment,
                ResilienceEndpointWriteHandler writes) {
            return new ResilienceEndpointWebFluxHandlerMapping(writablePath(endpoints, access, environment), writes);
        }

        /** Serves nothing without a {@link ResilienceDashboard} ({@code resilience.dashboard.enabled=false}). */
        @Bean
        @ConditionalOnMissingBean
        ResilienceDashboardWebFluxHandlerMapping resilienceDashboardWebFluxHandlerMapping(
                ObjectProvider<ResilienceDashboard> dashboard) {
            return new ResilienceDashboardWebFluxHandlerMapping(dashboard.getIfAvailable());
        }
    }
}
