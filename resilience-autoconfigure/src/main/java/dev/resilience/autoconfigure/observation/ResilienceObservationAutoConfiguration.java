package dev.resilience.autoconfigure.observation;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.TimeoutWorkers;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.core.GuardedCallObserver;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * Guarded calls as Micrometer observations, when the application has an {@link ObservationRegistry}; and the
 * caller's context carried to the starter's threads, when Micrometer's context-propagation library is present.
 * Each part is attached to whichever {@link PipelineFactory} (and {@link TimeoutWorkers}) the context has.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
public final class ResilienceObservationAutoConfiguration {

    /** One observation per guarded call; only pipelines built while the registry is a real one are observed. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    static final class Observations {

        @Bean
        @ConditionalOnBean(ObservationRegistry.class)
        @ConditionalOnMissingBean
        GuardedCallObserver resilienceCallObserver(ObservationRegistry registry,
                ObjectProvider<ResilienceObservationConvention> convention) {
            return new ObservationCallObserver(registry, convention.getIfAvailable());
        }

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static BeanPostProcessor resilienceObservationWiring(ObjectProvider<GuardedCallObserver> observer) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof PipelineFactory factory) {
                        observer.ifAvailable(factory::observeCallsWith);
                    }
                    return bean;
                }
            };
        }
    }

    /**
     * Asynchronous retries, waits and synchronous calls under a timeout continue with the caller's trace, MDC and
     * every other thread-local value registered with context-propagation.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ContextSnapshotFactory.class)
    static final class ContextPropagation {

        @Bean
        @ConditionalOnMissingBean
        ContextCarrier resilienceContextCarrier() {
            return new ContextCarrier(ContextSnapshotFactory.builder().build());
        }

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static BeanPostProcessor resilienceContextWiring(ObjectProvider<ContextCarrier> carrier) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof PipelineFactory factory) {
                        carrier.ifAvailable(factory::carryContextWith);
                    } else if (bean instanceof TimeoutWorkers workers) {
                        ContextCarrier available = carrier.getIfAvailable();
                        return available == null ? bean : new TimeoutWorkers(available.wrap(workers.executor()));
                    }
                    return bean;
                }
            };
        }
    }
}
