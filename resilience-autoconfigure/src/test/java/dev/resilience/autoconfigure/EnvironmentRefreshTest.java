package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.degradation.DegradationLevel;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.retry.RetryRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;

class EnvironmentRefreshTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.circuitbreaker.instances.inventory.failure-rate-threshold=50",
                    "resilience.circuitbreaker.instances.inventory.criticality=important");

    @Test
    void changedResilienceKeysReconfigureTheInstancesAndKeepTheBreakersState() {
        runner.run(context -> {
            CircuitBreaker inventory = context.getBean(CircuitBreakerRegistry.class).get("inventory");
            inventory.transitionToForcedOpen();
            assertThat(context.getBean(DegradationMonitor.class).level()).isEqualTo(DegradationLevel.MAJOR);

            change(context, "resilience.circuitbreaker.instances.inventory.failure-rate-threshold=20",
                    "resilience.circuitbreaker.instances.inventory.criticality=critical",
                    "resilience.retry.configs.default.max-attempts=7");

            assertThat(inventory.getConfig().failureRateThreshold()).isEqualTo(20f);
            assertThat(inventory.getState()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
            assertThat(context.getBean(DegradationMonitor.class).level()).isEqualTo(DegradationLevel.CRITICAL);
            assertThat(context.getBean(RetryRegistry.class).get("created-later").getConfig().maxAttempts())
                    .as("instances created after the refresh use it too").isEqualTo(7);
        });
    }

    @Test
    void invalidRefreshedValueChangesNothing() {
        runner.run(context -> {
            CircuitBreaker inventory = context.getBean(CircuitBreakerRegistry.class).get("inventory");

            change(context, "resilience.circuitbreaker.instances.inventory.failure-rate-threshold=20",
                    "resilience.circuitbreaker.instances.inventory.sliding-window-size=0");

            assertThat(inventory.getConfig().failureRateThreshold()).isEqualTo(50f);
            assertThat(inventory.getConfig().slidingWindowSize()).isEqualTo(100);
        });
    }

    @Test
    void eventsNamingOtherKeysAreIgnored() {
        runner.run(context -> {
            CircuitBreaker inventory = context.getBean(CircuitBreakerRegistry.class).get("inventory");
            TestPropertyValues.of("resilience.circuitbreaker.instances.inventory.failure-rate-threshold=20")
                    .applyTo(context);

            context.publishEvent(new EnvironmentChangeEvent(context, Set.of("server.port")));

            assertThat(inventory.getConfig().failureRateThreshold()).isEqualTo(50f);
        });
    }

    private static void change(ConfigurableApplicationContext context, String... properties) {
        TestPropertyValues.of(properties).applyTo(context);
        context.publishEvent(new EnvironmentChangeEvent(context, Set.of(properties[0].split("=")[0])));
    }
}
