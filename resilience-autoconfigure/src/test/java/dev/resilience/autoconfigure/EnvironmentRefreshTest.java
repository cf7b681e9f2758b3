package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.degradation.DegradationLevel;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.lastknowngood.LastKnownGood;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import dev.resilience.retry.RetryRegistry;
import java.time.Duration;
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
    void lastKnownGoodInstancesTakeRefreshedValuesAndNewInstancesToo() {
        runner.withPropertyValues("resilience.last-known-good.instances.quotes.max-staleness=10m").run(context -> {
            LastKnownGoodRegistry registry = context.getBean(LastKnownGoodRegistry.class);
            LastKnownGood quotes = registry.get("quotes");

            change(context, "resilience.last-known-good.instances.quotes.max-staleness=2m",
                    "resilience.last-known-good.configs.default.max-staleness=5m");

            assertThat(quotes.getConfig().maxStaleness()).isEqualTo(Duration.ofMinutes(2));
            assertThat(registry.get("created-later").getConfig().maxStaleness())
                    .as("instances created after the refresh use it too").isEqualTo(Duration.ofMinutes(5));
        });
    }

    @Test
    void aRefreshThatChangesWhatIsFixedAtCreationChangesNothing() {
        runner.withPropertyValues("resilience.last-known-good.instances.quotes.max-staleness=10m").run(context -> {
            LastKnownGood quotes = context.getBean(LastKnownGoodRegistry.class).get("quotes");

            change(context, "resilience.last-known-good.instances.quotes.max-staleness=2m",
                    "resilience.last-known-good.instances.quotes.maximum-size=5");

            assertThat(quotes.getConfig().maxStaleness()).isEqualTo(Duration.ofMinutes(10));
            assertThat(quotes.getConfig().maximumSize()).isEqualTo(10_000);
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
