package dev.resilience.aspectj;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.autoconfigure.properties.AopProperties;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Connects woven classes to the starter's pipelines: in AspectJ mode ({@code resilience.aop.mode=aspectj}) the
 * {@link ResilienceAspect} guards them, and the starter registers no proxy advisor; in proxy mode woven code passes
 * its calls on to the proxies.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
public final class ResilienceAspectJAutoConfiguration {

    /**
     * The aspect's binding to the context's pipelines. In an application processed ahead of time (Spring AOT), the
     * processing fixed which of the proxy advisor and the woven-class check exist; a start with the other
     * {@code resilience.aop.mode} would guard nothing (or everything twice), so it stops naming both values.
     */
    @Bean
    @ConditionalOnMissingBean
    ResilienceAspectBinding resilienceAspectBinding(ResilienceProperties properties,
            ObjectProvider<PipelineFactory> factory, ObjectProvider<WovenClassCheck> wovenClassCheck) {
        boolean aspectj = AopProperties.ASPECTJ.equals(properties.getAop().getMode());
        if (AotDetector.useGeneratedArtifacts() && aspectj != (wovenClassCheck.getIfAvailable() != null)) {
            throw new InvalidConfigurationPropertyValueException("resilience.aop.mode", properties.getAop().getMode(),
                    "the application was processed ahead of time (Spring AOT) with resilience.aop.mode="
                            + (aspectj ? AopProperties.PROXY : AopProperties.ASPECTJ)
                            + ", which fixed how its methods are guarded; start it with that mode, or process it"
                            + " again with this one");
        }
        return new ResilienceAspectBinding(aspectj, factory);
    }

    /** In AspectJ mode, a bean whose guarded methods are not woven stops startup (no proxy would guard them). */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnProperty(name = "resilience.aop.mode", havingValue = "aspectj")
    static WovenClassCheck resilienceWovenClassCheck(ObjectProvider<PipelineFactory> factory) {
        return new WovenClassCheck(factory);
    }
}
