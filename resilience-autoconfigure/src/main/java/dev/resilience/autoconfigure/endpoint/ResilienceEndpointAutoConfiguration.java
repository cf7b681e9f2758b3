package dev.resilience.autoconfigure.endpoint;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceConfigurations;
import dev.resilience.autoconfigure.ResilienceRegistries;
import dev.resilience.autoconfigure.probe.ResilienceProbes;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.core.RecentEvents;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code resilience} actuator endpoint, where Actuator is present and the endpoint is exposed. Its write
 * operations are served from the management context by {@link ResilienceEndpointManagementContextConfiguration}.
 */
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
                RecentEvents events, ResilienceConfigurations configurations, ObjectProvider<ChaosRegistry> chaos,
                ObjectProvider<LastKnownGoodRegistry> lastKnownGood, ObjectProvider<ResilienceProbes> probes) {
            return new ResilienceEndpoint(registries, monitor, events, configurations, chaos.getIfAvailable(),
                    lastKnownGood.getIfAvailable(), probes.getIfAvailable());
        }

        /**
         * Gives the endpoint that exists (this configuration's or the application's own) the sub-resources of
         * optional modules, looked up at each request.
         */
        @Bean
        static SmartInitializingSingleton resilienceEndpointResources(ObjectProvider<ResilienceEndpoint> endpoint,
                ObjectProvider<ResilienceEndpointResource> resources) {
            return () -> endpoint.ifAvailable(found -> found.setResources(() -> resources.orderedStream().toList()));
        }
    }
}
