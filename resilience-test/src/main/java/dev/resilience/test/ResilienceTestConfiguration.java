package dev.resilience.test;

import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The beans {@link ResilienceTest} adds: a {@link FakeTime}, the starter's {@link Timing} taken from it (the
 * starter's own backs off), and a {@link ResilienceTester}. Import it directly where an annotation does not fit.
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

    @Bean
    ResilienceTester resilienceTester(FakeTime resilienceFakeTime, ApplicationContext context) {
        return new ResilienceTester(resilienceFakeTime, context);
    }
}
