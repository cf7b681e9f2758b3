package dev.resilience.sample;

import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Fake time for the policies: retry waits take no time and breakers recover when a test advances it. */
@TestConfiguration(proxyBeanMethods = false)
public class FakeTimeConfiguration {

    @Bean
    FakeTime fakeTime() {
        return new FakeTime();
    }

    @Bean
    Timing resilienceTiming(FakeTime time) {
        return time.timing();
    }
}
