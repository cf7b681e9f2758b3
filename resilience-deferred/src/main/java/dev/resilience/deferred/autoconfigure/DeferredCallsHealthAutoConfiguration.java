package dev.resilience.deferred.autoconfigure;

import dev.resilience.deferred.DeferredQueue;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code deferredCalls} health component, wherever Boot's health support is present
 * ({@code management.health.deferredcalls.enabled=false} switches it off).
 */
@AutoConfiguration(after = DeferredCallsAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthContributor")
public final class DeferredCallsHealthAutoConfiguration {

    /** Nested so that its health conditions are only read once Boot's health support is known to be present. */
    @Configuration(proxyBeanMethods = false)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnBean(DeferredQueue.class)
        @ConditionalOnMissingBean(name = "deferredCallsHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("deferredcalls")
        DeferredCallsHealthIndicator deferredCallsHealthIndicator(DeferredQueue queue) {
            return new DeferredCallsHealthIndicator(queue);
        }
    }
}
