package dev.resilience.autoconfigure.health;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceRegistries;
import dev.resilience.autoconfigure.probe.ResilienceProbes;
import dev.resilience.autoconfigure.probe.ResilienceProbesAutoConfiguration;
import dev.resilience.degradation.DegradationMonitor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code circuitBreakers} and {@code degradation} health components, on by default wherever Boot's health
 * support is present ({@code management.health.circuitbreakers.enabled} and
 * {@code management.health.degradation.enabled} switch them off). Their bean names are the exception to the
 * {@code resilience} prefix: Boot names a component after its bean.
 */
@AutoConfiguration(after = {ResilienceAutoConfiguration.class, ResilienceProbesAutoConfiguration.class},
        afterName = "io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakersHealthIndicatorAutoConfiguration",
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthContributor")
public final class ResilienceHealthAutoConfiguration {

    /**
     * Resilience4j's breaker health bean, whose component is named {@code circuitBreakers} as ours is; its
     * auto-configuration is read before ours so that the conditions below see it.
     */
    private static final String RESILIENCE4J_BREAKERS = "circuitBreakersHealthIndicator";

    /** Nested so that its health conditions are only read once Boot's health support is known to be present. */
    @Configuration(proxyBeanMethods = false)
    static class HealthConfiguration {

        /** The breakers the guarded methods use: those of {@link ResilienceRegistries}, even when it is replaced. */
        @Bean
        @ConditionalOnBean(ResilienceRegistries.class)
        @ConditionalOnMissingBean(name = {"circuitBreakersHealthContributor",
                RESILIENCE4J_BREAKERS})
        @ConditionalOnEnabledHealthIndicator("circuitbreakers")
        CircuitBreakersHealthContributor circuitBreakersHealthContributor(ResilienceRegistries registries) {
            return new CircuitBreakersHealthContributor(registries.circuitBreakers());
        }

        /**
         * Beside Resilience4j's {@code circuitBreakers} component, which the same property switches on during a
         * migration: ours is {@code resilienceCircuitBreakers}, so that the two names do not collide.
         */
        @Bean
        @ConditionalOnBean(value = ResilienceRegistries.class, name = RESILIENCE4J_BREAKERS)
        @ConditionalOnMissingBean(name = "resilienceCircuitBreakersHealthContributor")
        @ConditionalOnEnabledHealthIndicator("circuitbreakers")
        CircuitBreakersHealthContributor resilienceCircuitBreakersHealthContributor(ResilienceRegistries registries) {
            return new CircuitBreakersHealthContributor(registries.circuitBreakers());
        }

        @Bean
        @ConditionalOnBean(DegradationMonitor.class)
        @ConditionalOnMissingBean(name = "degradationHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("degradation")
        DegradationHealthIndicator degradationHealthIndicator(DegradationMonitor monitor) {
            return new DegradationHealthIndicator(monitor);
        }

        /** One child per dependency probe; reads their last results, never runs a check. */
        @Bean
        @ConditionalOnBean(ResilienceProbes.class)
        @ConditionalOnMissingBean(name = "dependenciesHealthContributor")
        @ConditionalOnEnabledHealthIndicator("dependencies")
        DependenciesHealthContributor dependenciesHealthContributor(ResilienceProbes probes) {
            return new DependenciesHealthContributor(probes);
        }
    }
}
