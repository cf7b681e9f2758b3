package dev.resilience.autoconfigure.endpoint;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceConfigurations;
import dev.resilience.autoconfigure.ResilienceRegistries;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.core.RecentEvents;
import dev.resilience.degradation.DegradationMonitor;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The {@code resilience} actuator endpoint, where Actuator is present and the endpoint is exposed. */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
public final class ResilienceEndpointAutoConfiguration {

    /** Nested so that its Actuator condition is only read once Actuator is known to be present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(ResilienceEndpoint.class)
    @ConditionalOnBean({ResilienceRegistries.class, ResilienceConfigurations.class})
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ResilienceEndpoint resilienceEndpoint(ResilienceRegistries registries, DegradationMonitor monitor,
                RecentEvents events, ResilienceConfigurations configurations, ObjectProvider<ChaosRegistry> chaos) {
            return new ResilienceEndpoint(registries, monitor, events, configurations, chaos.getIfAvailable());
        }

        /** The write operations, in servlet web applications. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
        @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
        static class WriteConfiguration {

            /** Access as {@code management.endpoint.resilience.access} and the defaults set it, like Boot's own. */
            @Bean
            @ConditionalOnMissingBean
            ResilienceEndpointWriteHandler resilienceEndpointWriteHandler(ResilienceEndpoint endpoint,
                    ObjectProvider<EndpointAccessResolver> access, Environment environment) {
                return new ResilienceEndpointWriteHandler(endpoint,
                        access.getIfAvailable(() -> new PropertiesEndpointAccessResolver(environment)));
            }

            @Bean
            @ConditionalOnBean(ResilienceEndpointWriteHandler.class)
            ResilienceEndpointWriteHandlerMapping resilienceEndpointWriteHandlerMapping(Environment environment,
                    ResilienceEndpointWriteHandler handler) {
                String basePath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
                String path = environment.getProperty("management.endpoints.web.path-mapping.resilience",
                        "resilience");
                return new ResilienceEndpointWriteHandlerMapping(trimSlash(basePath) + "/" + path, handler);
            }

            private static String trimSlash(String path) {
                return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            }
        }
    }
}
