package dev.resilience.test;

import dev.resilience.autoconfigure.probe.ResilienceProbes;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The beans {@link ResilienceTest} adds: a {@link FakeTime}, the starter's {@link Timing} taken from it (the
 * starter's own backs off), a {@link ResilienceTester}, and dependency probes that check only when a test asks
 * ({@link ResilienceTester#checkProbe}), never in the background. Import it directly where an annotation does not
 * fit.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ResilienceTestConfiguration {

    @Bean
    FakeTime resilienceFakeTime() {
        return new FakeTime();
    }

    @Bean
    Timing resilienceTiming(FakeTime resilienceFakeTime) {
        return resilienceFakeTime.timing();
    }

    /** Probes check when the test says so: a background check would race with the test's own. */
    @Bean
    static BeanPostProcessor resilienceProbesOnDemand() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof ResilienceProbes probes) {
                    probes.setBackgroundChecks(false);
                }
                return bean;
            }
        };
    }

    @Bean
    ResilienceTester resilienceTester(FakeTime resilienceFakeTime, ApplicationContext context) {
        return new ResilienceTester(resilienceFakeTime, context);
    }
}
