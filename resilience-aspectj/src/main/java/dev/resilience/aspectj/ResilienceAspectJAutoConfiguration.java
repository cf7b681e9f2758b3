package dev.resilience.aspectj;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.autoconfigure.properties.AopProperties;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

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

    /**
     * In an application processed ahead of time (Spring AOT), the processing fixed which of the proxy advisor and the
     * woven-class check exist; a start with the other {@code resilience.aop.mode} would guard nothing (or every call
     * twice), so it stops before any bean is created, naming the mode the application was processed with.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static AotModeCheck resilienceAotModeCheck() {
        return new AotModeCheck();
    }

    /** In AspectJ mode, a bean whose guarded methods are not woven stops startup (no proxy would guard them). */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnProperty(name = "resilience.aop.mode", havingValue = "aspectj")
    static WovenClassCheck resilienceWovenClassCheck(ObjectProvider<PipelineFactory> factory) {
        return new WovenClassCheck(factory);
    }

    /** See {@link #resilienceAotModeCheck()}: compares the mode with the bean definitions the processing made. */
    static final class AotModeCheck implements BeanFactoryPostProcessor, EnvironmentAware {

        /** The name of {@link #resilienceWovenClassCheck}'s bean, defined only when processed in AspectJ mode. */
        static final String WOVEN_CLASS_CHECK = "resilienceWovenClassCheck";

        private Environment environment;

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            if (!AotDetector.useGeneratedArtifacts()) {
                return;
            }
            String mode = environment.getProperty("resilience.aop.mode", AopProperties.PROXY);
            boolean aspectj = AopProperties.ASPECTJ.equalsIgnoreCase(mode.strip());
            boolean processedAspectj = beanFactory.containsBeanDefinition(WOVEN_CLASS_CHECK);
            if (aspectj != processedAspectj) {
                throw new InvalidConfigurationPropertyValueException("resilience.aop.mode", mode,
                        "the application was processed ahead of time (Spring AOT) with resilience.aop.mode="
                                + (processedAspectj ? AopProperties.ASPECTJ : AopProperties.PROXY)
                                + ", which fixed how its methods are guarded; start it with that mode, or process it"
                                + " again with this one");
            }
        }
    }
}
