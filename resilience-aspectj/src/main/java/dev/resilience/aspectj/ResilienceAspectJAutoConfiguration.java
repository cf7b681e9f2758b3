package dev.resilience.aspectj;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.autoconfigure.properties.AopProperties;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Connects woven classes to the starter's pipelines: in AspectJ mode ({@code resilience.aop.mode=aspectj}) the
 * {@link ResilienceAspect} guards them, and the starter registers no proxy advisor; in proxy mode woven code passes
 * its calls on to the proxies.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
public final class ResilienceAspectJAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ResilienceAspectBinding resilienceAspectBinding(ResilienceProperties properties,
            ObjectProvider<PipelineFactory> factory) {
        return new ResilienceAspectBinding(AopProperties.ASPECTJ.equals(properties.getAop().getMode()), factory);
    }

    /** In AspectJ mode, a bean whose guarded methods are not woven stops startup (no proxy would guard them). */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnProperty(name = "resilience.aop.mode", havingValue = "aspectj")
    static WovenClassCheck resilienceWovenClassCheck(ObjectProvider<PipelineFactory> factory) {
        return new WovenClassCheck(factory);
    }
}
