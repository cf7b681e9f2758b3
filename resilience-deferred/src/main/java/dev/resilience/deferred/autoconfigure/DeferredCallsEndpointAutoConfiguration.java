package dev.resilience.deferred.autoconfigure;

import dev.resilience.deferred.DeferredCallScheduler;
import dev.resilience.deferred.DeferredCalls;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@code /actuator/resilience/deferred}: the stored calls as a sub-resource of the {@code resilience} endpoint, which
 * serves its reads and (where writes are exposed and secured) its writes.
 */
@AutoConfiguration(after = DeferredCallsAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.web.WebEndpointResponse")
@ConditionalOnBean(DeferredCalls.class)
public final class DeferredCallsEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DeferredCallsEndpointResource resilienceDeferredCallsEndpointResource(DeferredCalls calls,
            ObjectProvider<DeferredCallScheduler> scheduler) {
        return new DeferredCallsEndpointResource(calls, scheduler::getIfAvailable);
    }
}
